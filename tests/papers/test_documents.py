"""The paper as PDF and .docx, read back with independent readers (pypdf, python-docx): the number, the
party, the items, the deadline, the signature drawn in, the verification link written out, and the QR
code equal to segno's own code of the link read from the PDF."""

import io
import re
import zipfile

import pytest
import segno
from docx import Document
from pypdf import PdfReader

from wangge.core.pdf_fonts import EMBEDDED, FONT
from wangge.papers import services
from wangge.papers.docx import write_docx
from wangge.papers.layout import sheet
from wangge.papers.pdf import write_pdf

from .conftest import signature_upload

BASE = "https://wangge.example.gov.cn/"


@pytest.fixture
def signed(world, inspections):
    _c, first, _second = inspections
    paper = services.make_paper(world.users["inspector"], first, "rectification")
    return services.sign(world.users["inspector"], paper, signature_upload())


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_reads_back_with_number_party_items_and_link(signed):
    data = write_pdf(sheet(signed, BASE))
    text = _pdf_text(data)
    compact = re.sub(r"\s+", "", text)
    assert signed.number in compact
    assert "责令改正通知书" in compact and "老王面馆" in compact and "仙霞西路5号" in compact
    assert "按规定开展消杀并有记录" in compact and "补建消杀台账" in compact
    assert "长宁区市场监督管理局新泾市场监督管理所" in compact
    url = re.search(r"https://wangge\.example\.gov\.cn/public/papers/[^\s]+/", text.replace("\n", ""))
    assert url, text
    assert b"/FontFile2" in data or FONT != EMBEDDED  # the CJK font is embedded where installed
    images = [name for page in PdfReader(io.BytesIO(data)).pages for name in page.images]
    assert len(images) == 2  # the signature and the QR code


def test_the_font_is_the_embedded_one():
    assert FONT == EMBEDDED, "install fonts-wqy-microhei (make browser)"


def test_docx_reads_back_and_its_qr_is_segnos_code_of_the_link(signed):
    data = write_docx(sheet(signed, BASE))
    doc = Document(io.BytesIO(data))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert signed.number in text and "老王面馆" in text and "按规定开展消杀并有记录" in text
    link = next(line for line in text.splitlines() if line.startswith(BASE.rstrip("/") + "/public/papers/"))
    media = sorted(n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/"))
    assert len(media) == 2  # the signature and the QR code
    pictures = [zipfile.ZipFile(io.BytesIO(data)).read(n) for n in media]
    expected = io.BytesIO()
    segno.make(link, error="m").save(expected, kind="png", scale=4, border=2)
    assert expected.getvalue() in pictures


def test_unsigned_refused_and_void_papers_say_so(world, inspections):
    _c, first, second = inspections
    inspector = world.users["inspector"]
    awaiting = services.make_paper(inspector, first, "record")
    assert "当事人签名：＿" in _pdf_text(write_pdf(sheet(awaiting, BASE))).replace(" ", "")
    refused = services.refuse(inspector, services.make_paper(inspector, second, "rectification"), "隔壁店主 李四")
    assert "见证人：隔壁店主李四" in re.sub(r"\s+", "", _pdf_text(write_pdf(sheet(refused, BASE))))
    void = services.void(inspector, refused, "送达对象有误")
    assert "本文书已作废：送达对象有误" in re.sub(r"\s+", "", _pdf_text(write_pdf(sheet(void, BASE))))
    doc = Document(io.BytesIO(write_docx(sheet(void, BASE))))
    assert doc.paragraphs[0].text == "本文书已作废：送达对象有误"


@pytest.mark.parametrize("kind", ["record", "suspension"])
def test_every_kind_of_the_suspending_inspection_renders(world, inspections, kind):
    _c, first, _second = inspections
    paper = services.make_paper(world.users["inspector"], first, kind)
    text = re.sub(r"\s+", "", _pdf_text(write_pdf(sheet(paper, BASE))))
    assert paper.number in text and paper.content["title"] in text


def test_shutdown_and_reinspection_papers(world, media):
    import datetime
    import uuid

    from django.utils import timezone

    from wangge.inspections import services as inspecting
    from wangge.papers.models import PaperUnit

    from ..inspections.helpers import COMPLIANT, campaign, photo, submit
    from .conftest import rectify

    c = campaign(world)
    PaperUnit.objects.create(department=world.departments["market"], prefix="长新市监")
    task = c.tasks.get(premises=world.premises["beihong1"])
    shut, _new = submit(world, task, answers=dict(COMPLIANT, no_unpermitted_opening="no"), outcome="shutdown",
                        legal_reason="未经许可擅自开业", photos=[("no_unpermitted_opening", photo())])
    paper = services.make_paper(world.users["inspector"], shut, "shutdown")
    text = re.sub(r"\s+", "", _pdf_text(write_pdf(sheet(paper, BASE))))
    assert "关停决定书" in text and "未经许可擅自开业" in text
    rectify(world, c, "linquan1")
    follow = c.tasks.get(premises=world.premises["linquan1"], reason="reinspection")
    again, _new = inspecting.submit_inspection(
        world.users["inspector"], client_id=uuid.uuid4(), task=follow, answers=dict(COMPLIANT), outcome="compliant",
        inspectors=[world.users["officer"]], inspected_at=timezone.now() + datetime.timedelta(minutes=1))
    opinion = services.make_paper(world.users["inspector"], again, "reinspection")
    assert "复查意见：已整改到位，复查合格" in "".join(opinion.content["after"])
    assert "复查意见书" in re.sub(r"\s+", "", _pdf_text(write_pdf(sheet(opinion, BASE))))
