from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.models import Agency
from onboarding.exceptions import ImportRefused
from onboarding.importing import import_people


class Command(BaseCommand):
    help = (
        "Import an agency's people from a CSV or XLSX file (columns: name or first_name and last_name, email, "
        "language). The whole file is checked first; a file with errors imports nothing and exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .csv or .xlsx file.")
        parser.add_argument("--agency", required=True, help="Acronym of the agency, e.g. CBP.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; change nothing.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        agency = Agency.objects.filter(acronym__iexact=options["agency"]).first()
        if agency is None:
            raise CommandError(_("There is no agency with the acronym %(acronym)s.") % {"acronym": options["agency"]})
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from None
        try:
            result = import_people(content, path.name, agency=agency, dry_run=options["dry_run"])
        except ImportRefused as error:
            raise CommandError(str(error.message)) from None
        for error in result.errors:
            self.stderr.write(_("Line %(line)d: %(message)s") % {"line": error.line, "message": error.message})
        if result.errors:
            raise CommandError(
                _("%(count)d problem(s) found; nothing was imported. Correct the file and run the command again.")
                % {"count": len(result.errors)}
            )
        values = {"rows": result.rows, "new": len(result.new), "existing": result.existing, "agency": agency.acronym}
        if result.dry_run:
            message = _("Dry run: %(rows)d rows checked, %(new)d would be created, %(existing)d already in %(agency)s.")
        else:
            message = _("%(rows)d rows imported: %(new)d people created, %(existing)d already in %(agency)s.")
        self.stdout.write(self.style.SUCCESS(message % values))
