"""Background jobs (#21): briefs, `generate`, the purge and key rotation are recorded (kind, who, when,
state, progress, messages, result), run by the worker, followed on a job page, shown with a progress bar
by the commands, and started again after their worker stopped."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from wangge.core import background
from wangge.core import progress as live
from wangge.core.management.job_command import ProgressBar
from wangge.core.models import BackgroundJob, ImportJob, ImportStatus, UserRole
from wangge.core.roles import Role
from wangge.core.tasks import background_task

from .test_ledgers import AREA_HEADERS, xlsx


def _jobs_sql(kind: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT status, created_by_id FROM {BackgroundJob._meta.db_table} WHERE kind = %s", [kind])
        return cursor.fetchall()


def test_the_progress_bar_redraws_on_a_terminal_and_prints_tenths_elsewhere():
    tty = io.StringIO()
    bar = ProgressBar(tty, tty=True)
    for done in (0, 1, 1, 450, 1000):
        bar.progress(done, 1000)
    bar.end()
    assert tty.getvalue() == ("\r[..............................]   0%  0/1,000"
                              "\r[#############.................]  45%  450/1,000"
                              "\r[##############################] 100%  1,000/1,000\n")
    log = io.StringIO()
    bar = ProgressBar(log, tty=False)
    for done in range(0, 1001, 7):
        bar.progress(done, 1000)
    bar.progress(1000, 1000)
    lines = log.getvalue().splitlines()
    assert [line.split("]")[1].split("%")[0].strip() for line in lines] == [str(n) for n in range(0, 101, 10)]


def test_commands_record_their_job_with_a_progress_bar(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out, err = io.StringIO(), io.StringIO()
    call_command("rotate_keys", stdout=out, stderr=err)
    assert _jobs_sql("rotate_keys") == [("done", None)]  # recorded, by no one: a command
    job = BackgroundJob.objects.get(kind="rotate_keys")
    assert f"re-encrypted {job.result['values']} value(s)" in out.getvalue() and job.result["values"] > 0
    assert "100%" in err.getvalue() and job.finished_at and job.done == job.total > 0
    # One message per column that held values; the world has residents' ID numbers and phones.
    assert any("id_number" in text for text in job.messages)
    call_command("purge", "--dry-run", stdout=io.StringIO(), stderr=io.StringIO())
    assert _jobs_sql("purge") == [("done", None)]
    with pytest.raises(CommandError, match="unknown kind"):
        call_command("purge", "--kind", "nonsense", stdout=io.StringIO(), stderr=io.StringIO())
    assert BackgroundJob.objects.filter(kind="purge").count() == 1  # refused before anything was recorded


def test_a_refusal_is_one_line_and_kept_on_the_job(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="--force"):  # the world holds premises the generator did not make
        call_command("generate", "--scale", "town", stdout=io.StringIO(), stderr=io.StringIO())
    job = BackgroundJob.objects.get(kind="generate")
    assert job.status == ImportStatus.FAILED and "--force" in job.error and job.params["scale"] == "town"


def test_the_job_page_shows_progress_to_who_may_see_it(world, login, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    job = background.submit("purge", None, {"dry_run": True})
    assert job.status == ImportStatus.PENDING
    BackgroundJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, heartbeat_at=timezone.now())
    live.write(f"background-{job.pk}", 3, 12)
    admin = login(world.users["admin"])
    page = admin.get(f"/jobs/{job.pk}/").content.decode()
    assert "25%" in page and "hx-trigger" in page and "个人信息清理" in page
    listing = admin.get("/jobs/").content.decode()
    assert f"/jobs/{job.pk}/" in listing and "命令行或定时任务" in listing
    # A job no one in particular asked for: seen by who sees the whole town, not by a neighbourhood cadre.
    assert login(world.users["cadre"]).get(f"/jobs/{job.pk}/").status_code == 404
    assert f"/jobs/{job.pk}/" not in login(world.users["cadre"]).get("/jobs/").content.decode()


def test_a_job_whose_worker_stopped_fails_with_the_reason_and_starts_again(world, login, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    job = background.submit("purge", None, {"dry_run": True})
    stale = timezone.now() - background.STALE_AFTER - datetime.timedelta(seconds=5)
    BackgroundJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, heartbeat_at=stale)
    live.write(f"background-{job.pk}", 1, 10)  # its worker still writes: alive, not taken from it
    assert background.mark_interrupted() == 0 and background.run_job(job.pk) is False
    live.clear(f"background-{job.pk}")  # silent since: killed
    assert background.mark_interrupted() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "后台任务进程在工作中途停止" in job.error
    # Started again by an administrator (a command's job); a town leader sees it but may not restart it.
    leader = login(world.users["leader"])
    assert "重新开始" not in leader.get(f"/jobs/{job.pk}/").content.decode()
    leader.post(f"/jobs/{job.pk}/restart/")
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    admin = login(world.users["admin"])
    assert "重新开始" in admin.get(f"/jobs/{job.pk}/").content.decode()
    assert admin.post(f"/jobs/{job.pk}/restart/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.PENDING and job.error == "" and job.created_by is None
    # Handed over twice (a Celery message again, a second worker): it runs once.
    assert background_task.apply(args=[job.pk]).get() is True
    assert background_task.apply(args=[job.pk]).get() is False and background.run_pending() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and "counts" in job.result
    assert admin.post(f"/jobs/{job.pk}/restart/").status_code == 302  # done: not again
    assert BackgroundJob.objects.get(pk=job.pk).status == ImportStatus.DONE


def test_a_job_nobody_took_says_so(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    job = background.submit("purge", None, {})
    BackgroundJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - background.PENDING_AFTER * 2)
    assert background.mark_interrupted() == 1
    assert "没有后台任务进程接手" in BackgroundJob.objects.get(pk=job.pk).error


def test_an_interrupted_import_is_started_again_only_by_its_owner(world, login, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    rows = [AREA_HEADERS] + [[f"3101051020229{n:02d}", f"重启网格{n}", "网格", "310105102022"] for n in range(10)]
    stale = timezone.now() - datetime.timedelta(minutes=10)
    job = ImportJob.objects.create(kind="areas", filename="a.xlsx", data=xlsx(rows), created_by=world.users["admin"],
                                   dry_run=False, status=ImportStatus.RUNNING, heartbeat_at=stale)
    from wangge.core import jobs

    assert jobs.mark_interrupted() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.summary["interrupted"] and bytes(job.data)
    other = world.users["leader"]
    UserRole.objects.get_or_create(user=other, role=Role.ADMIN)
    assert jobs.restart(job, other) is False  # not theirs
    admin = login(world.users["admin"])
    assert admin.post(f"/ledgers/jobs/{job.pk}/restart/").status_code == 302  # small: run at once
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.summary["created"] == 10 and not bytes(job.data)
    admin.post(f"/ledgers/jobs/{job.pk}/restart/")  # nothing to restart now
    assert "无法重新开始" in admin.get(f"/ledgers/jobs/{job.pk}/").content.decode()


def test_a_brief_for_the_town_without_an_administrator_says_why(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path
    from wangge.core.models import User
    from wangge.dashboard.briefs.jobs import params
    from wangge.dashboard.figures import Period

    User.objects.filter(is_superuser=True).update(is_active=False)
    UserRole.objects.filter(role=Role.ADMIN).delete()
    day = datetime.date(2022, 7, 15)
    job = background.run_here("brief", None, params("daily", Period(day, day)))
    assert job.status == ImportStatus.FAILED and job.error == "没有在用的管理员账号，无法生成简报。"
