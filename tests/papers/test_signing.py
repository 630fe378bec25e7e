"""The party signs on the pad (a PNG, checked and kept) or refuses before a witness; either way the paper
is issued and final. Through the pages, with the audit trail."""

import base64

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from wangge.core.models import AuditEntry
from wangge.papers import services
from wangge.papers.models import Paper

from ..inspections.helpers import photo
from .conftest import signature_png, signature_upload


@pytest.fixture
def paper(world, inspections):
    _c, first, _second = inspections
    return services.make_paper(world.users["inspector"], first, "rectification")


def test_signing_from_the_pad_issues_the_paper_and_keeps_a_clean_png(world, paper, login):
    client = login(world.users["inspector"])
    page = client.get(reverse("papers:paper_sign", args=[paper.pk]))
    assert page.status_code == 200 and b"signature_pad.js" in page.content
    data = "data:image/png;base64," + base64.b64encode(signature_png()).decode()
    response = client.post(reverse("papers:paper_sign", args=[paper.pk]), {"signature_data": data})
    assert response.status_code == 302
    paper.refresh_from_db()
    assert paper.status == "issued" and paper.signed_at and paper.delivered_by == world.users["inspector"]
    with default_storage.open(paper.signature.name) as handle:
        stored = Image.open(handle)
        assert stored.format == "PNG" and not stored.info.get("exif")
    assert paper.signature.name.startswith("papers/signatures/")
    picture = client.get(reverse("papers:paper_signature", args=[paper.pk]))
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    entries = AuditEntry.objects.filter(content_type__model="paper", object_id=str(paper.pk))
    assert entries.count() == 2  # made, then signed


def test_a_png_file_upload_signs_too(world, paper, login):
    client = login(world.users["inspector"])
    response = client.post(reverse("papers:paper_sign", args=[paper.pk]), {"signature": signature_upload()})
    assert response.status_code == 302
    assert Paper.objects.get(pk=paper.pk).status == "issued"


@pytest.mark.parametrize("bad, message", [
    (lambda: {"signature": signature_upload(strokes=False)}, "签名为空"),
    (lambda: {"signature": photo("x.png")}, "PNG"),
    (lambda: {"signature_data": "data:image/png;base64,%%%"}, "无法读取"),
    (lambda: {}, "尚未签名"),
])
def test_a_bad_signature_is_refused_in_chinese_and_changes_nothing(world, paper, login, bad, message):
    client = login(world.users["inspector"])
    response = client.post(reverse("papers:paper_sign", args=[paper.pk]), bad())
    assert response.status_code == 422
    assert message in response.content.decode()
    paper.refresh_from_db()
    assert paper.status == "awaiting" and not paper.signature


def test_an_image_bomb_is_refused_before_decoding(world, paper):
    import io
    import struct
    import zlib

    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 20000, 20000, 8, 0, 0, 0, 0)  # 400 million pixels
    raw = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100))
           + chunk(b"IEND", b""))
    with pytest.raises(ValidationError) as refused:
        services.sign(world.users["inspector"], paper, SimpleUploadedFile("s.png", io.BytesIO(raw).read()))
    assert "signature" in refused.value.message_dict


def test_a_signed_paper_is_final(world, paper, login):
    services.sign(world.users["inspector"], paper, signature_upload())
    client = login(world.users["inspector"])
    response = client.post(reverse("papers:paper_sign", args=[paper.pk]), {"signature": signature_upload()})
    assert response.status_code == 422 and "最终" in response.content.decode()
    response = client.post(reverse("papers:paper_refuse", args=[paper.pk]), {"witness": "李四"}, follow=True)
    assert "最终" in response.content.decode()
    paper.refresh_from_db()
    assert not paper.refused and paper.witness == ""


def test_the_refusal_needs_a_witness(world, paper, login):
    client = login(world.users["inspector"])
    response = client.post(reverse("papers:paper_refuse", args=[paper.pk]), {"witness": " "}, follow=True)
    assert "见证人" in response.content.decode()
    assert Paper.objects.get(pk=paper.pk).status == "awaiting"
    client.post(reverse("papers:paper_refuse", args=[paper.pk]), {"witness": "社区民警 王五"})
    paper.refresh_from_db()
    assert paper.status == "issued" and paper.refused and paper.witness == "社区民警 王五"


def test_correcting_from_the_page(world, paper, login):
    services.sign(world.users["inspector"], paper, signature_upload())
    client = login(world.users["inspector"])
    response = client.post(reverse("papers:paper_void", args=[paper.pk]),
                           {"reason": "整改期限写错", "correct": "1", "note": ""})
    new = Paper.objects.get(replaces=paper)
    assert response.status_code == 302 and response["Location"] == reverse("papers:paper_detail", args=[new.pk])
    assert Paper.objects.get(pk=paper.pk).status == "void" and new.status == "awaiting"
    page = client.get(reverse("papers:paper_detail", args=[paper.pk])).content.decode()
    assert new.number in page and "本文书已作废" in page
    response = client.post(reverse("papers:paper_void", args=[new.pk]), {"reason": "", "correct": "0"}, follow=True)
    assert "作废原因" in response.content.decode() or "说明" in response.content.decode()
    client.post(reverse("papers:paper_void", args=[new.pk]), {"reason": "重复制作", "correct": "0"})
    assert Paper.objects.get(pk=new.pk).status == "void"
