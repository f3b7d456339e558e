from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from training.demo import content_files
from training.exceptions import ContentError
from training.loader import DEMO_INSTRUCTOR, load_course_file


class Command(BaseCommand):
    help = gettext_lazy(
        "Create or update courses from content files (content/FORMAT.md); by default every content/*.yaml. "
        "Safe to run twice: unchanged files change nothing. A malformed file is reported with the place of "
        "the problem and nothing of it is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help=gettext_lazy("Content files to load (default: content/*.yaml)."))
        parser.add_argument(
            "--instructor",
            default=DEMO_INSTRUCTOR,
            help=gettext_lazy("Username added to each course's instructors, if such a user exists."),
        )

    def handle(self, *args, files=(), instructor=DEMO_INSTRUCTOR, **options):
        paths = files or content_files()
        if not paths:
            raise CommandError(_("No content files found."))
        for path in paths:
            try:
                result = load_course_file(path, instructor_username=instructor)
            except ContentError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(result.summary())
            for warning in result.warnings:
                self.stderr.write(warning)
