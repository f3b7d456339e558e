"""The background worker: ``db_worker`` that recovers lost work at start and
survives database errors."""

import logging
import time

from django.db import DatabaseError, InterfaceError, close_old_connections
from django_tasks_db.management.commands import db_worker

from lms.recovery import new_worker_id, recover_lost_work

logger = logging.getLogger("lms.worker")


class Command(db_worker.Command):
    help = (
        "Run the database task worker. At start it recovers lost work (recover_lost_work); on a database "
        "error (server restarting, read-only fail-over) it logs, waits and goes on instead of exiting. "
        "Takes db_worker's options."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=new_worker_id(), reload=False)
        parser.add_argument(
            "--max-wait",
            type=float,
            default=60.0,
            help="Longest wait between retries after a database error, in seconds (default 60).",
        )
        parser.add_argument("--no-recover", action="store_false", dest="recover", help="Skip the recovery at start.")

    def handle(self, *args, max_wait=60.0, recover=True, **options):
        self.configure_logging(options["verbosity"])
        wait = 1.0
        recovered = not recover
        while True:
            started = time.monotonic()
            try:
                if not recovered:
                    for line in recover_lost_work():
                        logger.info("recovery at start: %s", line)
                    recovered = True
                super().handle(*args, **options)
                return
            except (DatabaseError, InterfaceError):
                if time.monotonic() - started > max_wait:
                    wait = 1.0  # it ran well for a while: start the back-off again
                logger.exception("Database error in the worker; retrying in %.0f s", wait)
                close_old_connections()  # drops a connection the error left unusable
                time.sleep(wait)
                wait = min(wait * 2, max_wait)
