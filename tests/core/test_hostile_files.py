"""#24.A/B: files built to exhaust memory are refused with a clear message and take nothing down;
work-order attachments lose their EXIF like inspection photos."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from wangge.core.images import MAX_PIXELS, decode
from wangge.core.models import ImportJob
from wangge.core.tabular.reading import UnreadableFile, read_table


def far_cell_workbook(coordinate: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "电话", "网格", "状态"])
    sheet[coordinate] = " "  # one blank far away: the used range reaches it
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("coordinate", ["XFD1048576", "ALL20000"])
def test_a_workbook_reaching_far_is_refused_not_fatal(coordinate):
    data = far_cell_workbook(coordinate)
    assert len(data) < 10_000  # a few KB on disk
    with pytest.raises(UnreadableFile, match="使用范围|used range"):
        read_table(data, "bomb.xlsx")
    # This process is alive and still reads an ordinary workbook.
    assert read_table(far_cell_workbook("E3"), "ok.xlsx").headers[:2] == ["姓名", "身份证号"]


def test_the_import_page_answers_and_the_job_ends(world, login):
    cadre = login(world.users["cadre"])
    file = io.BytesIO(far_cell_workbook("XFD1048576"))
    file.name = "居民.xlsx"
    cadre.post("/ledgers/residents/import/", {"file": file})
    job = ImportJob.objects.filter(filename="居民.xlsx").latest("pk")
    assert job.status == "failed" and "使用范围" in job.summary.get("file_error", "")
    page = cadre.get(f"/ledgers/jobs/{job.pk}/").content.decode()
    assert "使用范围" in page


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG", optimize=True)  # one bit per pixel, compresses to KBs
    return out.getvalue()


@pytest.mark.parametrize("side", [7000, 10900])
def test_a_decompression_bomb_is_refused_from_its_header(side):
    """7000² is between the limit and twice it (where Pillow only warns), 10900² beyond."""
    data = png(side, side)
    assert len(data) < 50_000 and side * side > MAX_PIXELS
    with pytest.raises(ValidationError) as refused:
        decode(SimpleUploadedFile("bomb.png", data, content_type="image/png"))
    assert "过大" in str(refused.value)


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (10, 120, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {2: (31.0, 12.0, 30.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_work_order_attachments_lose_their_exif(world, login):
    from wangge.workorders import services
    from wangge.workorders.choices import Kind

    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif()  # the oracle: Pillow reads the EXIF of the original
    order = services.open_order(world.users["leader"], kind=Kind.INSTRUCTION, title="现场照片", grid=world.grids[
        "linquan1"], department=world.departments["market"], description="附件")
    attachment = services.add_attachment(world.users["leader"], order, SimpleUploadedFile(
        "现场.jpg", data, content_type="image/jpeg"))
    with attachment.file.open("rb") as stored:
        kept = stored.read()
    assert b"PhoneMaker" not in kept and not Image.open(io.BytesIO(kept)).getexif()
    assert attachment.original_name == "现场.jpg" and attachment.size == len(kept)
    served = login(world.users["leader"]).get(f"/workorders/attachments/{attachment.pk}/")
    assert served.status_code == 200 and b"PhoneMaker" not in b"".join(served.streaming_content)
