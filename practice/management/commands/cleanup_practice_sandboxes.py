from django.core.management.base import BaseCommand

from practice.cleanup import clear_sandboxes, expired_sandboxes, retention_days


class Command(BaseCommand):
    help = (
        "Delete the sandbox records of graded practice attempts older than the retention period "
        "(PRACTICE_SANDBOX_RETENTION_DAYS, default 30). Grades, graded fields, answers and recorded "
        "searches are kept. Safe to run twice; run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="Override the retention period (days).")
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be cleared.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = retention_days() if days is None else days
        if days < 0:
            self.stderr.write("--days must be 0 or more.")
            return
        if dry_run:
            count = expired_sandboxes(days=days).count()
            self.stdout.write(f"{count} sandboxes older than {days} days would be cleared.")
            return
        count = clear_sandboxes(days=days)
        self.stdout.write(f"{count} sandboxes older than {days} days cleared.")
