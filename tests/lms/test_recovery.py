import datetime
import io
import logging
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from lms import recovery

pytestmark = pytest.mark.django_db

TASK = "certificates.tasks.issue_certificate_task"


def _row(started_minutes_ago, worker_ids, status=TaskResultStatus.RUNNING):
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path=TASK,
        backend_name="default",
        run_after=get_date_max(),
        started_at=timezone.now() - datetime.timedelta(minutes=started_minutes_ago),
        worker_ids=worker_ids,
    )


def _dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_stale_running_tasks_go_back_to_the_queue_and_fresh_ones_stay(settings):
    settings.TASKS_STALE_AFTER_SECONDS = 1800
    stale = _row(45, ["other-host:12:abc"])
    fresh = _row(5, ["other-host:12:abc"])
    dead_here = _row(1, [recovery.new_worker_id().rsplit(":", 2)[0] + f":{_dead_pid()}:xyz"])
    alive_here = _row(1, [recovery.new_worker_id()])  # this process
    done = _row(45, ["w"], status=TaskResultStatus.SUCCESSFUL)
    result = recovery.recover_stale_tasks()
    assert (result.requeued, result.failed) == (2, 0)
    states = {row.pk: (row.status, row.started_at) for row in DBTaskResult.objects.all()}
    assert states[stale.pk] == (TaskResultStatus.READY, None)
    assert states[dead_here.pk] == (TaskResultStatus.READY, None)
    assert states[fresh.pk][0] == states[alive_here.pk][0] == TaskResultStatus.RUNNING
    assert states[done.pk][0] == TaskResultStatus.SUCCESSFUL
    # A requeued row is what a worker picks up next.
    assert set(DBTaskResult.objects.ready().values_list("pk", flat=True)) == {stale.pk, dead_here.pk}
    assert recovery.recover_stale_tasks().requeued == 0  # twice: nothing more


def test_a_task_whose_workers_keep_dying_is_failed_with_a_message(settings):
    settings.TASKS_MAX_ATTEMPTS = 3
    row = _row(45, ["a:1:x", "b:2:y", "c:3:z"])
    assert recovery.recover_stale_tasks().failed == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED and row.finished_at is not None
    assert row.exception_class_path == "lms.recovery.WorkerLost"
    assert "stopped 3 times" in row.traceback


def test_recover_lost_work_runs_every_app_hook():
    out = io.StringIO()
    call_command("recover_lost_work", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("tasks: 0 stale task(s)")
    assert any(line.startswith("certificates: 0 missing certificate(s) issued") for line in lines)
    assert any(line.startswith("bulk downloads:") for line in lines)


def test_worker_ids_name_the_host_and_process():
    worker_id = recovery.new_worker_id()
    assert len(worker_id) <= 64 and worker_id.split(":")[-2].isdigit()
    assert not recovery.worker_is_gone(worker_id)
    assert not recovery.worker_is_gone("some-random-id-of-db_worker")


# ------------------------------------------------------------ the worker


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_survives_a_database_error_and_goes_on(settings, monkeypatch, caplog):
    """A database error (here: the server turned read-only) is logged, the
    worker waits and goes on: the queued task still runs."""
    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    from certificates.tasks import issue_certificate_task

    result = issue_certificate_task.enqueue(987654)  # no such enrolment: the task returns None
    real_run = db_worker.Worker.run
    calls = []

    def flaky_run(self):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("cannot execute UPDATE in a read-only transaction")
        return real_run(self)

    sleeps = []
    monkeypatch.setattr(db_worker.Worker, "run", flaky_run)
    monkeypatch.setattr("lms.management.commands.run_worker.time.sleep", sleeps.append)
    caplog.set_level(logging.ERROR, logger="lms.worker")
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-recover", stdout=io.StringIO())
    assert len(calls) == 2 and sleeps == [1.0]
    assert "Database error in the worker" in caplog.text
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
