import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lms.site_setup import ensure_site


class Command(BaseCommand):
    help = (
        "Load the demo: agencies, demo users (DEMO-ONLY password) and the training content. "
        "Idempotent. Refuses when DEBUG is off unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a production site, and the demo users have a published "
                "password. Use --force if you really mean it."
            )
        with transaction.atomic():
            ensure_site()
            # Each app may ship a `demo` module with a `load(stdout)` function;
            # they run in INSTALLED_APPS order so later apps build on earlier ones.
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                importlib.import_module(module_name).load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo loaded."))
