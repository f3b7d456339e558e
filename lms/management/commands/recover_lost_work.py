from django.core.management.base import BaseCommand

from lms.recovery import recover_lost_work


class Command(BaseCommand):
    help = (
        "Recover background work lost with a killed process: put stale task rows back in the queue, issue "
        "missing certificates, retry or fail stale bulk downloads. Safe to run twice and beside workers; "
        "run it from a systemd timer or cron (see deploy/)."
    )

    def handle(self, *args, **options):
        for line in recover_lost_work():
            self.stdout.write(line)
