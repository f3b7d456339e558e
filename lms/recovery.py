"""Recovering background work that a dead process left behind.

A process killed with ``kill -9`` (or a machine that loses power) can leave
work half done: a database task row RUNNING for ever, a completed course
without its certificate, a bulk download "being built" for ever. Nothing in
``django_tasks`` retries these. ``recover_stale_tasks`` puts task rows whose
worker is gone back in the queue (every task of this project is safe to run
twice); each app repairs its own records through the ``recover_lost_work``
Wagtail hook (``hooks.register("recover_lost_work")``: a function taking
``now`` and returning a one-line summary).

``manage.py recover_lost_work`` runs all of it; ``manage.py run_worker``
runs it at start; a systemd timer or cron runs it regularly (README).
"""

import datetime
import logging
import os
import socket
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail import hooks

logger = logging.getLogger(__name__)

HOOK = "recover_lost_work"


class WorkerLost(Exception):
    """Recorded on a task row given up after its worker died too often."""


def stale_after():
    """How long a task or a build may run without news before it is taken
    for lost (``TASKS_STALE_AFTER_SECONDS``, default 30 minutes)."""
    return datetime.timedelta(seconds=getattr(settings, "TASKS_STALE_AFTER_SECONDS", 1800))


def max_attempts():
    """How many workers may die on one task before it is marked failed."""
    return getattr(settings, "TASKS_MAX_ATTEMPTS", 3)


def new_worker_id():
    """``host:pid:random``: lets a worker that starts on the same machine
    see at once that the worker of a RUNNING row is gone. At most 64
    characters (django_tasks_db's limit)."""
    suffix = f":{os.getpid()}:{get_random_string(8)}"
    return socket.gethostname()[: 64 - len(suffix)] + suffix


def worker_is_gone(worker_id):
    """True when ``worker_id`` names a process of this machine that no
    longer runs. Unknown (another machine, another id format): False."""
    host, _sep, rest = worker_id.partition(":")
    pid, _sep, _random = rest.partition(":")
    if host != socket.gethostname()[: len(host)] or not host or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


@dataclass
class TaskRecovery:
    requeued: int = 0
    failed: int = 0

    def __str__(self):
        return f"tasks: {self.requeued} stale task(s) put back in the queue, {self.failed} given up"


def recover_stale_tasks(now=None):
    """Put RUNNING task rows whose worker is gone back in the queue: those
    of a dead process of this machine at once, any other once it has run
    longer than ``stale_after()``. A row whose workers died
    ``max_attempts()`` times is marked FAILED with ``WorkerLost``.

    Safe to call twice and beside live workers: each row changes with one
    conditional UPDATE (still RUNNING, same start), so a row a worker
    finished or claimed meanwhile is left alone.
    """
    now = now or timezone.now()
    cutoff = now - stale_after()
    result = TaskRecovery()
    running = DBTaskResult.objects.running().only("pk", "started_at", "worker_ids", "task_path")
    for row in running.iterator():
        last_worker = row.worker_ids[-1] if row.worker_ids else ""
        if row.started_at is not None and row.started_at >= cutoff and not worker_is_gone(last_worker):
            continue
        same_run = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
        if len(row.worker_ids) >= max_attempts():
            changed = same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=(
                    f"WorkerLost: the worker running this task stopped {len(row.worker_ids)} times "
                    f"({', '.join(row.worker_ids)}); not retried again."
                ),
            )
            result.failed += changed
            if changed:
                logger.error(
                    "Task %s (%s) given up: its worker died %s times", row.pk, row.task_path, len(row.worker_ids)
                )
        else:
            changed = same_run.update(status=TaskResultStatus.READY, started_at=None)
            result.requeued += changed
            if changed:
                logger.warning(
                    "Task %s (%s) put back in the queue: its worker %s is gone", row.pk, row.task_path, last_worker
                )
    return result


def recover_lost_work(now=None):
    """Every recovery: stale task rows, then each app's ``recover_lost_work``
    hook. Returns the summary lines. Safe to call twice."""
    now = now or timezone.now()
    lines = [str(recover_stale_tasks(now))]
    for recover in hooks.get_hooks(HOOK):
        lines.append(str(recover(now=now)))
    return lines
