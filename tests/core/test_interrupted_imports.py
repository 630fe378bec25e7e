"""An import whose process stopped (a restart, a crash) does not stay "running" for ever: once its
heartbeat is stale it is marked failed with a clear message, and its file changed nothing."""

import datetime

from django.utils import timezone

from wangge.core.jobs import PENDING_AFTER, STALE_AFTER, mark_interrupted
from wangge.core.models import ImportJob, ImportStatus


def test_a_job_without_a_heartbeat_is_marked_interrupted(world, login):
    admin = world.users["admin"]
    old = timezone.now() - STALE_AFTER - datetime.timedelta(seconds=5)
    dead = ImportJob.objects.create(kind="premises", filename="大文件.xlsx", data=b"x", created_by=admin,
                                    status=ImportStatus.RUNNING, heartbeat_at=old)
    alive = ImportJob.objects.create(kind="premises", filename="正在导入.xlsx", data=b"x", created_by=admin,
                                     status=ImportStatus.RUNNING, heartbeat_at=timezone.now())
    never = ImportJob.objects.create(kind="premises", filename="未开始.xlsx", data=b"x", created_by=admin)
    waiting = ImportJob.objects.create(kind="premises", filename="排队中.xlsx", data=b"x", created_by=admin)
    untaken = timezone.now() - PENDING_AFTER - datetime.timedelta(seconds=5)
    ImportJob.objects.filter(pk=never.pk).update(created_at=untaken)
    ImportJob.objects.filter(pk=waiting.pk).update(created_at=old)  # queued behind others: still waits
    page = login(admin).get(f"/ledgers/jobs/{dead.pk}/")
    assert page.status_code == 200
    dead.refresh_from_db(), alive.refresh_from_db(), never.refresh_from_db(), waiting.refresh_from_db()
    assert dead.status == ImportStatus.FAILED and "重新上传" in dead.summary["file_error"]  # in the page's language
    assert never.status == ImportStatus.FAILED and dead.finished_at is not None
    assert alive.status == ImportStatus.RUNNING and waiting.status == ImportStatus.PENDING
    assert "后台任务进程" in never.summary["file_error"]
    assert mark_interrupted() == 0  # once
