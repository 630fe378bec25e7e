"""A worker killed mid-import (SIGKILL, #21): the import's rows are not half-written (its one transaction
dies with the process), the job is marked failed with the reason once its heartbeat is stale, and its
owner can start the same job again, which then imports every row once. Also: a command's --background
hands its job to that worker and follows it to the end. A real `wangge worker` process against the test
database; PostgreSQL only (the SQLite test database lives in this process's memory)."""

import datetime
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from wangge.core import jobs
from wangge.core.models import Area, BackgroundJob, ImportJob, ImportStatus

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]
ROWS = 2_000


def _csv() -> bytes:
    lines = ["区域编码,区域名称,层级,上级区域编码"] + [f"K{n:06d},杀进程网格{n},网格,310105102022" for n in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


def _areas_sql() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {Area._meta.db_table} WHERE code LIKE 'K%%'")
        return cursor.fetchone()[0]


def _writing_pid() -> int | None:
    """The backend that holds a write lock on the area table inside an open transaction: the worker's."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT l.pid FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                       "WHERE c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()",
                       [Area._meta.db_table])
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.fixture
def worker_env(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database outside this process (the PostgreSQL pass of .ci/run)")
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "SECRET_KEY": settings.SECRET_KEY, "WANGGE_FIELD_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
           "WANGGE_HASH_KEY": settings.PERSONAL_DATA_HASH_KEY, "WANGGE_VAR_DIR": str(tmp_path),
           "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        env.pop(name, None)
    return env


def _start_worker(env) -> subprocess.Popen:
    return subprocess.Popen([str(Path(sys.executable).parent / "wangge"), "worker", "--no-beat", "--poll", "0.2"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_killed_worker_leaves_nothing_half_written_and_the_job_can_run_again(world, login, worker_env, settings,
                                                                                tmp_path):
    settings.VAR_DIR = tmp_path  # the worker's progress side files, read here
    settings.IMPORT_INLINE_MAX_BYTES = 1
    before = _areas_sql()
    worker = _start_worker(worker_env)
    try:
        # A command's --background: the job goes to that worker, the command follows it with its bar.
        out, err = io.StringIO(), io.StringIO()
        call_command("purge", "--dry-run", "--background", stdout=out, stderr=err)
        job = BackgroundJob.objects.get(kind="purge")
        assert job.status == ImportStatus.DONE and job.created_by is None and "handed to the worker" in err.getvalue()
        assert "total would anonymise" in out.getvalue() and "100%" in err.getvalue()

        owner = world.users["admin"]
        job = ImportJob.objects.create(kind="areas", filename="grids.csv", data=_csv(), dry_run=False,
                                       created_by=owner)
        deadline = time.monotonic() + 240
        while _writing_pid() is None:  # the worker is inside the import's transaction, writing rows
            assert time.monotonic() < deadline and worker.poll() is None, "the worker never started writing"
            time.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _writing_pid() is not None:  # PostgreSQL rolls the dead client's transaction back
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert _areas_sql() == before  # nothing half-written
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING  # nobody has noticed yet

    # Once its heartbeat is stale the job says why it stopped, and keeps the file for a restart.
    assert jobs.mark_interrupted(now=timezone.now() + jobs.STALE_AFTER + datetime.timedelta(seconds=5)) == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.summary["interrupted"] and bytes(job.data)
    client = login(owner)
    page = client.get(f"/ledgers/jobs/{job.pk}/").content.decode()
    assert "后台任务进程在导入中途停止" in page and "重新开始" in page
    assert client.post(f"/ledgers/jobs/{job.pk}/restart/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING
    rerun = subprocess.run([str(Path(sys.executable).parent / "wangge"), "worker", "--once", "--no-beat"],
                           env=worker_env, capture_output=True, timeout=240)
    assert rerun.returncode == 0, rerun.stderr.decode()[-2000:]
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.summary["created"] == ROWS
    assert _areas_sql() == before + ROWS
