import datetime

from django.core.management.base import BaseCommand, CommandError

from certificates.reminders import send_expiry_reminders


class Command(BaseCommand):
    help = (
        "E-mail certificate holders and their agency coordinators 90 and 30 days before a certificate "
        "expires and on the day it expires. Safe to run daily (and twice): each reminder goes out once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from error
        run = send_expiry_reminders(today)
        summary = ", ".join(f"{int(kind)} days: {count}" for kind, count in sorted(run.sent.items())) or "none due"
        self.stdout.write(f"Expiry reminders: {summary}; {run.messages} e-mails sent, {run.failed} failed.")
        if run.failed:
            raise CommandError(f"{run.failed} reminders could not be sent; the next run retries them.")
