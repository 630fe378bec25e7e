"""The demo's review of the July 2022 campaign carries that period's 401 / 15 / 3 (as of 2022-07-15 24:00),
stays so after the records change, is numbered, approved by someone other than its preparer, and opens
as .docx and PDF with those figures."""

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from wangge.assessment import services
from wangge.assessment.choices import DocStatus
from wangge.assessment.demo import REVIEW_TITLE
from wangge.assessment.documents import review_file
from wangge.assessment.models import PeriodReport, Review
from wangge.core.models import User
from wangge.inspections.models import Inspection

pytestmark = pytest.mark.django_db


def _load_demo():
    import importlib

    from wangge.core import demo as core_demo
    from wangge.core.management.commands.demo import DEMO_MODULES

    context = core_demo.load()
    for name in DEMO_MODULES:
        importlib.import_module(name).load(context)


def _campaign(review) -> dict:
    section = review.frozen["sections"][0]
    assert section["key"] == "inspections"
    return {f["key"]: f["value"] for f in section["figures"]}


@pytest.mark.timeout(600)
def test_the_july_2022_review_carries_401_15_3_of_its_period_not_todays():
    _load_demo()
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
