import datetime

from django.core.management.base import BaseCommand, CommandError

from certificates.recovery import issue_missing_certificates, missing_certificates
from lms.recovery import recover_stale_tasks


class Command(BaseCommand):
    help = (
        "Issue the certificate of every completed enrolment cycle that has none (its issuing task was lost "
        "with a killed process), after putting back in the queue the task rows whose worker is gone. "
        "Safe to run twice, from cron or a timer, and beside running workers: nothing is issued twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Leave cycles completed less than this long ago to their queued task (default 0).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the cycles without a certificate; change nothing."
        )

    def handle(self, *args, min_age=0, dry_run=False, **options):
        if min_age < 0:
            raise CommandError("--min-age must be zero or more seconds.")
        age = datetime.timedelta(seconds=min_age)
        if dry_run:
            from django.utils import timezone

            missing = missing_certificates(timezone.now() - age).select_related("user", "course")
            for enrollment in missing:
                self.stdout.write(
                    f"enrolment {enrollment.pk}: {enrollment.user.get_username()} {enrollment.course.code} "
                    f"cycle {enrollment.cycle}, completed {timezone.localtime(enrollment.completed_at):%Y-%m-%d %H:%M}"
                )
            self.stdout.write(f"{len(missing)} completed cycle(s) without a certificate.")
            return
        self.stdout.write(str(recover_stale_tasks()))
        run = issue_missing_certificates(min_age=age)
        for serial in run.issued:
            self.stdout.write(f"  issued {serial}")
        self.stdout.write(str(run))
        if run.failed:
            raise CommandError(
                f"{run.failed} certificate(s) could not be issued; see the log. The next run retries them."
            )
