"""Issue #22 point 13: a daily brief takes one date and gives that day's number beside the total; the Word
file is A4 with the PDF's margins; the PDF embeds a TrueType CJK font (no boxes in any viewer)."""

import datetime
import io

import pytest
from django.utils import timezone
from docx import Document
from docx.shared import Mm
from pypdf import PdfReader

from wangge.community.models import Resident
from wangge.core import background
from wangge.dashboard.briefs import pdf_writer
from wangge.dashboard.briefs.services import make_brief, read_brief
from wangge.dashboard.figures import Period
from wangge.dashboard.models import Brief
from wangge.workorders import services
from wangge.workorders.choices import Kind
from wangge.workorders.models import WorkOrder

pytestmark = pytest.mark.django_db
DAY1, DAY2 = datetime.date(2022, 7, 14), datetime.date(2022, 7, 15)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _rows_on_two_days(world):
    """Residents and work orders raised on day 1 and on day 2 (and some before day 1, some after day 2)."""
    residents = list(Resident.objects.order_by("pk"))
    assert len(residents) >= 3
    Resident.objects.filter(pk=residents[0].pk).update(created_at=_at(DAY1 - datetime.timedelta(days=3)))
    Resident.objects.filter(pk=residents[1].pk).update(created_at=_at(DAY1))
    Resident.objects.filter(pk__in=[r.pk for r in residents[2:]]).update(created_at=_at(DAY2))
    for day, n in ((DAY1, 2), (DAY2, 3), (None, 1)):
        for i in range(n):
            order = services.raise_order(world.users["admin"], kind=Kind.OTHER, title=f"{day} {i}",
                                         grid=world.grids["linquan1"], assignee=world.users["gridworker"],
                                         deadline=datetime.date(2022, 8, 1))
            if day is not None:
                WorkOrder.objects.filter(pk=order.pk).update(created_at=_at(day))


def _docx_lines(brief):
    return [p.text for p in Document(io.BytesIO(read_brief(brief, "docx"))).paragraphs]


def test_daily_brief_gives_the_days_numbers_beside_the_totals(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _rows_on_two_days(world)
    brief = make_brief(world.users["admin"], "daily", Period(DAY2, DAY2))
    end1, end2 = (timezone.make_aware(datetime.datetime.combine(d + datetime.timedelta(days=1), datetime.time.min))
                  for d in (DAY1, DAY2))
    residents_total = Resident.objects.filter(created_at__lt=end2).count()
    residents_day = Resident.objects.filter(created_at__gte=end1, created_at__lt=end2).count()
    orders_total = WorkOrder.objects.filter(created_at__lt=end2, closed_at__isnull=True).count()
    orders_day = WorkOrder.objects.filter(created_at__gte=end1, created_at__lt=end2).count()
    assert (orders_total, orders_day) == (5, 3) and residents_day == Resident.objects.count() - 2
    lines = _docx_lines(brief)
    assert f"登记居民：当日 {residents_day} / 累计 {residents_total}" in lines
    assert f"未结工单：当日 {orders_day} / 累计 {orders_total}" in lines
    # A review keeps the plain totals.
    review = make_brief(world.users["admin"], "review", Period(DAY1, DAY2))
    assert f"登记居民：{residents_total}" in _docx_lines(review)


def test_form_offers_one_date_for_a_daily_brief_and_a_period_for_a_review(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.users["cadre"])
    page = client.get("/dashboard/briefs/").content.decode()
    daily = page[page.index('data-testid="brief-form-daily"'):page.index('data-testid="brief-form-review"')]
    assert 'name="daily-day"' in daily and "starts_on" not in daily and "ends_on" not in daily
    assert client.post("/dashboard/briefs/new/", {"kind": "daily", "daily-day": ""}).status_code == 200
    assert not Brief.objects.exists()
    assert client.post("/dashboard/briefs/new/", {"kind": "daily", "daily-day": "2022-07-15"}).status_code == 302
    background.run_pending()  # the worker's turn
    brief = Brief.objects.get()
    assert (brief.kind, brief.starts_on, brief.ends_on) == ("daily", DAY2, DAY2)


def test_word_file_is_a4_with_the_pdfs_margins(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    brief = make_brief(world.users["admin"], "daily", Period(DAY2, DAY2))
    doc = Document(io.BytesIO(read_brief(brief, "docx")))
    assert doc.sections
    for section in doc.sections:
        # Word keeps sizes in twips (635 EMU): 210 x 297 mm is 7,560,000 x 10,692,000 EMU to within one twip.
        assert abs(section.page_width - 210 * 36000) <= 635 and abs(section.page_height - 297 * 36000) <= 635
        margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
        assert all(abs(got - Mm(want)) <= 635 for got, want in zip(margins, (28, 26, 30, 28), strict=True))


def _fonts(reader):
    """(base font name, its descriptor) of every font a page declares, through Type0 descendants."""
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            for each in ([d.get_object() for d in descendants] if descendants else [font]):
                yield str(each.get("/BaseFont")), each.get("/FontDescriptor", {})


def test_pdf_embeds_a_truetype_cjk_font_and_its_bullets(world, settings, tmp_path):
    from reportlab.pdfbase import pdfmetrics

    settings.MEDIA_ROOT = tmp_path
    assert pdf_writer.FONT == pdf_writer.EMBEDDED, "install fonts-wqy-microhei (make browser)"
    start = timezone.make_aware(datetime.datetime(2022, 7, 15, 10))
    _rows_on_two_days(world)
    WorkOrder.objects.update(deadline=datetime.date(2022, 7, 1), created_at=start)  # overdue: notable items
    brief = make_brief(world.users["admin"], "daily", Period(DAY2, DAY2))
    reader = PdfReader(io.BytesIO(read_brief(brief, "pdf")))
    # reportlab declares Helvetica (a standard-14 font, never embedded) on every page; the text is set in
    # the CJK font, embedded as TrueType (/FontFile2); no non-embedded CID font (STSong-Light) is left.
    fonts = [(name, d) for name, d in _fonts(reader) if name != "/Helvetica"]
    assert fonts and all("WenQuanYiMicroHei" in name and "/FontFile2" in d for name, d in fonts), fonts
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "工作日报" in text and "超期" in text
    assert "☒" not in text and "□" not in text and "\ufffd" not in text
    assert f"{pdf_writer.BULLET} " in text
    glyphs = pdfmetrics.getFont(pdf_writer.FONT).face.charToGlyph  # the bullet is drawn, not a box
    assert glyphs.get(ord(pdf_writer.BULLET)) and glyphs.get(ord("超"))
