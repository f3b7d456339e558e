from django.core.management.base import BaseCommand

from onboarding.reminders import send_due_reminders


class Command(BaseCommand):
    help = "E-mail reminders 7 days and 1 day before assigned courses are due (each once). Run daily."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"{sent} due-date reminder(s) sent.")
