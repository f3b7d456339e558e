import time

from django.core.management.base import BaseCommand, CommandError

from lms.demo import USERS as DEMO_USERS
from tracking import population


class Command(BaseCommand):
    help = (
        "Generate a synthetic population (agencies, trainees, enrolments, completions, certificates without "
        "PDFs) for benchmarks and demos, or delete it with --delete. Refuses on a database holding real "
        "people unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--trainees", type=int, default=100_000, help="How many trainees (default 100,000).")
        parser.add_argument("--agencies", type=int, default=40, help="How many synthetic agencies (default 40).")
        parser.add_argument(
            "--courses", type=int, default=4, help="Synthetic courses to create when there are none (default 4)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--batch-size", type=int, default=5000, help="Trainees per transaction.")
        parser.add_argument("--delete", action="store_true", help="Delete the synthetic population instead.")
        parser.add_argument("--force", action="store_true", help="Run even if the database holds real people.")

    def handle(self, *args, trainees, agencies, courses, seed, batch_size, delete, force, **options):
        if delete:
            count = population.delete_population()
            self.stdout.write(self.style.SUCCESS(f"Deleted {count} synthetic people."))
            return
        if trainees < 1 or agencies < 1 or courses < 1 or batch_size < 1:
            raise CommandError("--trainees, --agencies, --courses and --batch-size must be positive.")
        real = population.real_users(allowed_usernames=[user[0] for user in DEMO_USERS])
        if real.exists() and not force:
            raise CommandError(
                f"This database holds {real.count()} real (not synthetic, not demo) users. Synthetic people "
                "would mix with them in every report. Use --force if you really mean it."
            )
        started = time.monotonic()
        import random

        agency_list = population.ensure_agencies(agencies)
        course_list = population.ensure_courses(courses, agency_list, random.Random(seed))
        stats = population.generate(
            trainees,
            agencies=agency_list,
            courses=course_list,
            seed=seed,
            batch_size=batch_size,
            log=self.stdout.write if options.get("verbosity", 1) > 1 else None,
        )
        from tracking import certification

        certification.refresh_all()
        population.analyze()
        self.stdout.write(self.style.SUCCESS(f"Generated {stats} in {time.monotonic() - started:.1f} s."))
