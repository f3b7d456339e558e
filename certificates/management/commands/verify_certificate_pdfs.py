"""Check that every certificate's PDF is in storage and matches the SHA-256
recorded at issue (after a restore, or from time to time). Exits non-zero
and lists the certificates whose file is missing or different."""

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Certificate
from certificates.pdf_storage import file_sha256


class Command(BaseCommand):
    help = "Check every certificate PDF against its recorded SHA-256 (missing or altered files fail)."

    def handle(self, *args, **options):
        checked, problems = 0, []
        for certificate in Certificate.objects.exclude(pdf="").only("pk", "serial", "pdf", "sha256").iterator():
            checked += 1
            try:
                digest = file_sha256(certificate.pdf.storage, certificate.pdf.name)
            except FileNotFoundError:
                problems.append(f"{certificate.serial}: missing {certificate.pdf.name}")
                continue
            if digest != certificate.sha256:
                problems.append(f"{certificate.serial}: {certificate.pdf.name} does not match its SHA-256")
        without = Certificate.objects.filter(pdf="").count()
        for problem in problems:
            self.stderr.write(problem)
        summary = f"{checked} certificate PDFs checked, {len(problems)} problems, {without} without a PDF"
        if problems:
            raise CommandError(summary)
        self.stdout.write(summary)
