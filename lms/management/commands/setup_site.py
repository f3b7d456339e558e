from django.core.management.base import BaseCommand

from lms.site_setup import ensure_home_page


class Command(BaseCommand):
    help = "Create the bilingual home page and make it the site root (safe to run twice)."

    def handle(self, *args, **options):
        home = ensure_home_page()
        self.stdout.write(f"Home page: {home.title_en} (id {home.pk})")
