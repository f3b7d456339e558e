from django.core.management.base import BaseCommand

from lms.site_setup import ensure_site


class Command(BaseCommand):
    help = "Create the site's page skeleton (home page, course index). Safe to run twice."

    def handle(self, *args, **options):
        ensure_site()
        self.stdout.write("Site skeleton in place.")
