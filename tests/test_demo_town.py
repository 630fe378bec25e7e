"""The demo town as `wangge demo` loads it, once for this module: it is the slowest fixture of the suite
(tens of seconds), so every test that reads the whole demo lives here and shares one load. Each test runs
in its own transaction on top of it; the module's end rolls the load back, so the tests after find the
database as before. It is one of conftest's SHARED_MODULES, which xdist sends to one worker whole, so the
town loads once per run."""

import datetime
import io
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from wangge.assessment import services
from wangge.assessment.choices import DocStatus
from wangge.assessment.demo import REVIEW_TITLE
from wangge.assessment.documents import review_file
from wangge.assessment.models import PeriodReport, Review
from wangge.community.models import Resident
from wangge.core.models import Area, AreaLevel, Department, User
from wangge.dashboard.briefs.content import add_day_numbers, cell_text, figure_text
from wangge.dashboard.briefs.services import make_brief, read_brief
from wangge.dashboard.figures import Period
from wangge.dashboard.sources import collect
from wangge.inspections.models import Inspection

from .conftest import rolled_back
from .dashboard.test_briefs import DEMO_DAY, _docx_text

pytestmark = [pytest.mark.django_db, pytest.mark.timeout(600)]


@pytest.fixture(scope="module", autouse=True)
def demo_town(django_db_setup, django_db_blocker, tmp_path_factory):
    """Loaded inside conftest's `rolled_back`: the tests after find the database as the migrations left it."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")), rolled_back(django_db_blocker):
        call_command("demo", "--no-serve", stdout=StringIO())
        yield


def _pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _counts() -> tuple:
    return tuple(m.objects.count() for m in (Area, Department, User, Resident, Inspection))


def test_demo_town_loads_is_idempotent_and_every_account_signs_in(client):
    from wangge.core.demo import ACCOUNTS, DEMO_PASSWORD

    counts = _counts()
    assert Area.objects.get(code="310105102").name == "新泾镇"
    hoods = set(Area.objects.filter(level=AreaLevel.NEIGHBOURHOOD).values_list("name", flat=True))
    assert {"林泉", "北虹", "新泾家苑", "天山星城", "定威路", "绿五"} <= hoods
    assert {"平安办", "新泾派出所", "综合行政执法队", "市场监督管理所"} <= set(
        Department.objects.values_list("name", flat=True)) | set(Department.objects.values_list("short_name",
                                                                                                 flat=True))
    first_ids = list(Resident.objects.order_by("pk").values_list("id_number_hash", flat=True)[:20])
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert _counts() == counts
    assert list(Resident.objects.order_by("pk").values_list("id_number_hash", flat=True)[:20]) == first_ids
    assert "wangge-demo-2022" in out.getvalue()
    for account in ACCOUNTS:
        response = client.post("/accounts/login/", {"username": account.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.username
        assert client.get("/").status_code == 200
        client.post("/accounts/logout/")


def test_demo_campaign_reads_401_15_3_and_plans_a_lookback():
    from wangge.inspections.models import Campaign
    from wangge.inspections.summary import campaign_summary

    campaign = Campaign.objects.get(kind="round")
    summary = campaign_summary(campaign, User.objects.get(username="admin"))
    assert (summary["inspected"], summary["rectification_orders"], summary["shutdowns"]) == (401, 15, 3)
    assert summary["suspended"] == 15 and 100 <= summary["people_deployed"] <= 130
    assert summary["day_inspections"] and summary["night_inspections"]
    lookback = Campaign.objects.get(kind="lookback", parent=campaign)
    assert lookback.tasks.exists() and not lookback.tasks.filter(team__isnull=True).exists()


def _campaign(review) -> dict:
    section = review.frozen["sections"][0]
    assert section["key"] == "inspections"
    return {f["key"]: f["value"] for f in section["figures"]}


def test_the_july_2022_review_carries_401_15_3_of_its_period_not_todays():
    review = Review.objects.get(title=REVIEW_TITLE)
    assert (review.starts_on, review.ends_on) == (datetime.date(2022, 7, 4), datetime.date(2022, 7, 15))
    figures = _campaign(review)
    assert (figures["inspected"], figures["rectification_orders"], figures["shutdowns"]) == (401, 15, 3)
    assert review.status == DocStatus.APPROVED
    assert review.approved_by.username == "leader" and review.prepared_by.username == "officer"
    assert review.doc_number == "新泾镇复盘〔2022〕1号"
    assert review.frozen["compared_with"] and review.frozen["comparison"]
    # The records change afterwards (a shutdown synced late, dated now): a new draft of the same period
    # counts as of its end (2 shutdowns by then), the approved review keeps what it was approved with.
    late = Inspection.objects.filter(campaign=review.campaign, outcome="shutdown").order_by("pk").first()
    Inspection.objects.filter(pk=late.pk).update(inspected_at=timezone.now())
    officer = User.objects.get(username="officer")
    again = services.draft_review(officer, title="再次复盘", campaign=review.campaign)
    assert _campaign(again)["shutdowns"] == 2
    review.refresh_from_db()
    assert _campaign(review)["shutdowns"] == 3
    docx = Document(io.BytesIO(review_file(review, "docx")))
    text = "\n".join(p.text for p in docx.paragraphs)
    shown = [f for f in review.frozen["sections"][0]["figures"] if f["key"] == "shutdowns"][0]
    assert "新泾镇复盘〔2022〕1号" in text and f"{shown['label']}：3" in text
    assert text.count("下一步将对停业整顿场所逐一复查") == 1  # the text a person wrote
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(review_file(review, "pdf"))).pages)
    assert "新泾镇复盘〔2022〕1号" in pdf.replace(" ", "").replace("\n", "")
    # The demo's July 2022 monthly report went up approved, with the same campaign figures frozen.
    report = PeriodReport.objects.get()
    values = {f["key"]: f["value"] for f in report.frozen["figures"]}
    assert report.status == DocStatus.APPROVED
    assert (values["inspections.inspected"], values["inspections.rectification_orders"],
            values["inspections.shutdowns"]) == (401, 15, 3)


def test_demo_brief_opens_as_docx_and_pdf_with_the_dashboards_figures(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    leader = User.objects.get(username="leader")
    period = Period(DEMO_DAY, DEMO_DAY)
    brief = make_brief(leader, "daily", period)
    sections = collect(leader, Period(DEMO_DAY, DEMO_DAY, as_of_end=True))  # a brief: figures as of its end
    day_before = DEMO_DAY - datetime.timedelta(days=1)  # a daily brief: each figure also that day's number
    add_day_numbers(sections, collect(leader, Period(day_before, day_before, as_of_end=True)))
    campaign = {f.key: f.value for f in sections[0].figures}
    assert (campaign["inspected"], campaign["rectification_orders"], campaign["shutdowns"]) == (401, 15, 3)
    docx_text, pdf_text = _docx_text(read_brief(brief, "docx")), _squash(_pdf_text(read_brief(brief, "pdf")))
    assert "新泾镇工作日报" in docx_text and "新泾镇工作日报" in pdf_text
    assert "2022年7月15日" in docx_text
    for section in sections:
        assert section.title in docx_text and _squash(section.title) in pdf_text
        for figure in section.figures:
            assert figure_text(figure) in docx_text, figure
            assert _squash(figure_text(figure)) in pdf_text, figure
        for table in section.tables:
            for row in table.rows:
                assert _squash("".join(cell_text(c) for c in row)) in pdf_text
        for item in section.notable:
            assert item.text in docx_text
    # The campaign's figures read the same in the JSON the dashboard serves for that period.
    from django.test import Client

    client = Client()
    client.force_login(leader)
    served = client.get("/dashboard/data.json?from=2022-07-15&to=2022-07-15").json()["sections"]
    assert served == [s.as_dict() for s in collect(leader, period)]
