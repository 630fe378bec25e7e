"""Attachments: checked by content, size-limited, random names, served only to those who see the order."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from wangge.workorders.models import Attachment

from .helpers import raise_order


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (24, 16), (200, 30, 30, 128)).save(out, "PNG")
    return out.getvalue()


PNG = _png()


def test_upload_download_and_scope(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    order = raise_order(world)
    officer = login(world.users["officer"])
    response = officer.post(f"/workorders/{order.pk}/attachments/",
                            {"file": SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "现场照片.png" and attachment.content_type == "image/png"
    assert "现场照片" not in attachment.file.name and attachment.file.name.endswith(".png")
    stored = (tmp_path / attachment.file.name).read_bytes()  # re-encoded without metadata, still the image
    from PIL import Image

    assert Image.open(io.BytesIO(stored)).size == (24, 16) and attachment.size == len(stored)
    page = officer.get(f"/workorders/{order.pk}/").content.decode()
    assert "现场照片.png" in page
    download = officer.get(f"/workorders/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == stored
    # Someone who cannot see the order cannot fetch its files either.
    outsider = login(world.users["doctor"])
    assert outsider.get(f"/workorders/attachments/{attachment.pk}/").status_code in (403, 404)


def test_content_not_name_decides_and_size_is_limited(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 1024
    order = raise_order(world)
    client = login(world.users["officer"])
    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")
    refused = client.post(f"/workorders/{order.pk}/attachments/", {"file": fake}, follow=True)
    assert "PDF" in " ".join(str(m) for m in refused.context["messages"])  # says which files are allowed
    big = SimpleUploadedFile("big.png", PNG + b"\x00" * 2048, content_type="image/png")
    too_big = client.post(f"/workorders/{order.pk}/attachments/", {"file": big}, follow=True)
    assert "MB" in " ".join(str(m) for m in too_big.context["messages"])
    assert not Attachment.objects.exists()
    assert not any(tmp_path.rglob("*.png"))


def test_office_documents_keep_their_type(world, login, settings, tmp_path):
    from openpyxl import Workbook

    settings.MEDIA_ROOT = tmp_path
    order = raise_order(world)
    book = io.BytesIO()
    Workbook().save(book)
    login(world.users["officer"]).post(f"/workorders/{order.pk}/attachments/", {
        "file": SimpleUploadedFile("整改台账.xlsx", book.getvalue())})
    assert Attachment.objects.get().file.name.endswith(".xlsx")
