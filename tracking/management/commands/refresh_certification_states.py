import time

from django.core.management.base import BaseCommand

from tracking import certification


class Command(BaseCommand):
    help = (
        "Rebuild every trainee's stored certification state (what the default certification report counts) "
        "from enrolments and certificates. Safe to run twice and beside a running site; run it after bulk "
        "imports or from a nightly timer to repair anything an event missed."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        log = self.stdout.write if options.get("verbosity", 1) > 1 else None
        count = certification.refresh_all(log=log)
        self.stdout.write(
            self.style.SUCCESS(
                f"Refreshed the certification state of {count} trainees in {time.monotonic() - started:.1f} s."
            )
        )
