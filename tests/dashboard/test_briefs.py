"""Briefs: the command keeps one per period; the form refuses bad periods clearly. (The demo date's brief,
whose .docx and PDF figures equal the dashboard's, is checked on the loaded demo: tests/test_demo_town.py.)"""

import datetime
import io

import pytest
from django.core.management import call_command
from docx import Document

from wangge.core import background
from wangge.core.models import BackgroundJob
from wangge.dashboard.briefs.services import read_brief
from wangge.dashboard.models import Brief

pytestmark = pytest.mark.django_db
DEMO_DAY = datetime.date(2022, 7, 15)


def _docx_text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_command_keeps_the_town_brief_once_per_period(world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("brief", "--date", "2022-07-15", stdout=out)
    brief = Brief.objects.get()
    assert brief.area == world.town and brief.made_for == world.users["admin"]
    assert (tmp_path / brief.docx_file).is_file() and (tmp_path / brief.pdf_file).is_file()
    assert brief.pdf_file.startswith("briefs/2022/") and brief.pdf_file in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):  # the old pair is deleted once the new is recorded
        call_command("brief", "--date", "2022-07-15", stdout=io.StringIO())
    again = Brief.objects.get()
    assert Brief.objects.count() == 1 and again.version == 2
    # The remade files replaced the old ones: only the new pair is left on disk.
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*")) == sorted(
        [again.docx_file, again.pdf_file])
    call_command("brief", "--kind", "review", "--from", "2022-07-04", "--to", "2022-07-15", stdout=io.StringIO())
    review = Brief.objects.get(kind="review")
    assert (review.starts_on, review.ends_on) == (datetime.date(2022, 7, 4), DEMO_DAY)
    assert "复盘总结" in _docx_text(read_brief(review, "docx"))
    assert "2022年7月4日至2022年7月15日" in _docx_text(read_brief(review, "docx"))


@pytest.mark.parametrize("args", [["--date", "2022-02-30"], ["--kind", "review", "--from", "2022-07-04"],
                                  ["--kind", "review", "--from", "2022-07-15", "--to", "2022-07-04"],
                                  ["--user", "ghost"]])
def test_command_refuses_bad_arguments_and_keeps_nothing(world, settings, tmp_path, args):
    from django.core.management import CommandError

    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(CommandError):
        call_command("brief", *args, stdout=io.StringIO())
    assert not Brief.objects.exists()


def test_the_daily_task_makes_todays_town_brief(world, settings, tmp_path):
    from wangge.dashboard.tasks import daily_brief

    settings.MEDIA_ROOT = tmp_path
    brief = Brief.objects.get(pk=daily_brief())
    assert brief.area == world.town and brief.starts_on == brief.ends_on


def test_form_makes_my_brief_and_refuses_bad_periods_in_chinese(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.users["cadre"])
    response = client.post("/dashboard/briefs/new/", {"kind": "review", "review-starts_on": "2022-07-15",
                                                      "review-ends_on": "2022-07-04"})
    assert response.status_code == 200 and "不能晚于" in response.content.decode()
    response = client.post("/dashboard/briefs/new/", {"kind": "daily", "daily-day": "x"})
    assert response.status_code == 200
    assert not Brief.objects.exists()
    response = client.post("/dashboard/briefs/new/", {"kind": "daily", "daily-day": "2022-07-15"})
    # Made by the worker, never in the request: the page follows the job.
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert not Brief.objects.exists() and job.status == "pending" and job.created_by == world.users["cadre"]
    assert "等待后台" in client.get(response["Location"]).content.decode()
    assert background.run_pending() == 1
    brief = Brief.objects.get()
    assert brief.made_for == world.users["cadre"] and brief.area is None
    page = client.get(response["Location"]).content.decode()
    assert f"/dashboard/briefs/{brief.pk}/docx/" in page and f"/dashboard/briefs/{brief.pk}/pdf/" in page
    download = client.get(f"/dashboard/briefs/{brief.pk}/docx/")
    assert download.status_code == 200 and download["Content-Type"].endswith("wordprocessingml.document")
    assert client.get(f"/dashboard/briefs/{brief.pk}/exe/").status_code == 404
    # Another user sees neither the job nor, through it, the brief.
    assert login(world.users["gridworker"]).get(response["Location"]).status_code == 404
