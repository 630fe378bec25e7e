"""The error report of an import is the uploader's own file with the bad cells marked (issue #22.11):
red fill and a comment naming the problem and the allowed values on exactly the bad cells; corrected
in place it imports; nobody but the uploader gets it, and not after seven days."""

import datetime
import io

from django.utils import timezone, translation
from openpyxl import load_workbook

from wangge.community.choices import ResidentStatus
from wangge.community.models import Resident
from wangge.core.models import ImportJob

from ..community.conftest import xlsx
from ..conftest import id_number

HEADERS = ["姓名", "身份证号", "电话", "网格", "状态", "特殊人群"]


def bad_rows():
    wrong_check = id_number("19450607", 71)[:-1]
    wrong_check += "1" if id_number("19450607", 71)[-1] != "1" else "2"
    return [HEADERS,
            ["甲", id_number("19470101", 11), "139123", "310105102022001", "在住", "独居"],  # C2 phone
            ["乙", wrong_check, "", "林泉第1网格", "搬走了", ""],  # B3 checksum, E3 status
            ["丙", id_number("19490303", 13), "", "310105102022002", "", "独居、外星人"]]  # F4 flag


def upload(client, name, data):
    file = io.BytesIO(data)
    file.name = name
    client.post("/ledgers/residents/import/", {"file": file})
    return ImportJob.objects.filter(filename=name).latest("pk")


def marked(sheet):
    """(coordinate -> comment) of every red cell, and the red cells without a comment."""
    red = {c.coordinate: c.comment.text if c.comment else None for row in sheet.iter_rows() for c in row
           if c.fill.fgColor.rgb == "00FFC7CE"}
    return red


def test_report_is_the_users_file_marked_and_only_theirs(world, login):
    rows = bad_rows()
    cadre = login(world.users["cadre"])
    job = upload(cadre, "居民.csv", "\n".join(",".join(r) for r in rows).encode("utf-8"))
    assert job.status == "failed"
    response = cadre.get(f"/ledgers/jobs/{job.pk}/errors.xlsx")
    assert response.status_code == 200 and "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    red = marked(sheet)
    assert set(red) == {"C2", "B3", "E3", "F4"}  # exactly the bad cells
    with translation.override("zh-hans"):
        living = str(ResidentStatus.LIVING.label)
    assert "可填" in red["E3"] and living in red["E3"]  # the problem and the allowed values
    assert "独居" in red["F4"] and red["B3"] and red["C2"]
    # The user's own cells at their own places, unmasked (they typed them); an errors column after them.
    assert [sheet.cell(row=3, column=c).value or "" for c in range(1, 5)] == rows[2][:4]
    assert sheet["G1"].value == "错误说明" and "状态" in sheet["G3"].value and sheet["G5"].value is None

    # Nobody else gets it, an administrator neither; the page does not offer it to them.
    admin = login(world.users["admin"])
    assert admin.get(f"/ledgers/jobs/{job.pk}/errors.xlsx").status_code == 404
    assert 'data-testid="error-report"' not in admin.get(f"/ledgers/jobs/{job.pk}/").content.decode()
    assert login(world.users["leader"]).get(f"/ledgers/jobs/{job.pk}/errors.xlsx").status_code == 404
    # Seven days after the upload it is gone for the uploader too.
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    assert login(world.users["cadre"]).get(f"/ledgers/jobs/{job.pk}/errors.xlsx").status_code == 404


def test_xlsx_marked_in_place_corrected_and_imported_again(world, login):
    rows = bad_rows()
    book = load_workbook(io.BytesIO(xlsx(rows)))
    book.active.column_dimensions["A"].width = 33  # the user's own layout, kept
    book.create_sheet("说明")["A1"] = "我的备注"
    out = io.BytesIO()
    book.save(out)
    cadre = login(world.users["cadre"])
    job = upload(cadre, "居民.xlsx", out.getvalue())
    report = load_workbook(io.BytesIO(cadre.get(f"/ledgers/jobs/{job.pk}/errors.xlsx").content))
    sheet = report.worksheets[0]
    assert set(marked(sheet)) == {"C2", "B3", "E3", "F4"}
    assert sheet.column_dimensions["A"].width == 33 and report["说明"]["A1"].value == "我的备注"

    # Correct two cells only: the next report marks what is still wrong, not what was fixed.
    sheet["C2"], sheet["E3"] = "13912340000", "在住"
    partly = io.BytesIO()
    report.save(partly)
    job = upload(cadre, "居民.xlsx", partly.getvalue())
    report = load_workbook(io.BytesIO(cadre.get(f"/ledgers/jobs/{job.pk}/errors.xlsx").content))
    sheet = report.worksheets[0]
    assert set(marked(sheet)) == {"B3", "F4"} and sheet["C2"].comment is None
    assert [c.value for c in sheet[1]].count("错误说明") == 1  # the same errors column, reused

    sheet["B3"], sheet["F4"] = id_number("19450607", 71), "独居"
    fixed = io.BytesIO()
    report.save(fixed)
    job = upload(cadre, "居民.xlsx", fixed.getvalue())
    assert job.status == "done" and job.summary["created"] == 3, job.errors
    cadre.post(f"/ledgers/jobs/{job.pk}/confirm/")
    assert Resident.objects.filter(name__in=["甲", "乙", "丙"]).count() == 3
