"""Move certificate PDFs left in the public media storage to the private one.

The data migration does this once at ``migrate``; run this again after
restoring an old media backup, or after copying files by hand. Safe to run
twice.
"""

from django.core.management.base import BaseCommand

from certificates.models import Certificate
from certificates.pdf_storage import move_pdfs_to_private


class Command(BaseCommand):
    help = "Move certificate PDFs from the public media storage to the private storage (idempotent)."

    def handle(self, *args, **options):
        moved, already, missing = move_pdfs_to_private(Certificate, log=self.stderr.write)
        self.stdout.write(f"{moved} moved, {already} already private, {missing} missing")
