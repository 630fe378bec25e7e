"""The 12345 hotline: the district's export imported as ledger kind `hotline-cases` (keyed by the case
number: imported twice, no second order; a changed row updates its report), routed like the public page's
reports; the reply sheet exported as .xlsx and read back with openpyxl and with python-calamine."""

import datetime
import io

import openpyxl
from django.utils import timezone
from python_calamine import CalamineWorkbook

from wangge.core.exporting import export_file
from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import get_kind
from wangge.reports.models import PublicReport
from wangge.workorders import services as orders

from .conftest import count, sql

HEAD = ["工单编号", "受理时间", "问题分类", "诉求内容", "事发地址", "所属网格", "来电号码", "来电人"]
ROWS = [
    ["2207140001", "2022-07-14 09:31", "环境卫生", "仙霞西路5号门口垃圾堆放多日", "仙霞西路5号", "", "13900001111",
     "张先生"],
    ["2207140002", "2022/7/14 10:02", "噪声扰民", "夜间施工噪音扰民", "哈密路30号", "", "021-62345678", "李女士"],
    ["2207140003", "2022-07-14 11:15:20", "其他", "小区路灯不亮", "某某小区", "310105102019002", "",
     "王先生"],
]


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(world, rows, **options):
    return run_import(get_kind("hotline-cases"), workbook(rows), "12345工单.xlsx", world.users["admin"], **options)


def test_imported_twice_makes_no_second_order_and_a_changed_row_updates(routed):
    first = _import(routed, ROWS)
    assert (first.created, first.errors, first.file_error) == (3, [], "")
    assert count("SELECT COUNT(*) FROM workorders_workorder WHERE kind = 'public_report'") == 3
    assert sql("SELECT hotline_case, grid_id FROM reports_publicreport ORDER BY hotline_case") == [
        ("2207140001", routed.grids["linquan1"].pk), ("2207140002", routed.grids["beihong1"].pk),
        ("2207140003", routed.grids["beihong2"].pk)]
    assert PublicReport.objects.get(hotline_case="2207140002").phone == "02162345678"

    again = _import(routed, ROWS)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert count("SELECT COUNT(*) FROM workorders_workorder") == 3
    assert count("SELECT COUNT(*) FROM reports_publicreport") == 3

    changed = [list(r) for r in ROWS]
    changed[1][3] = "夜间施工噪音扰民，持续到凌晨两点"
    third = _import(routed, changed)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    order_id = PublicReport.objects.get(hotline_case="2207140002").order_id
    assert sql("SELECT description FROM workorders_workorder WHERE id = %s", order_id) == [
        ("夜间施工噪音扰民，持续到凌晨两点",)]
    assert count("SELECT COUNT(*) FROM workorders_workorder") == 3


def test_bad_rows_stop_the_file(routed):
    bad = [["22", "昨天", "天气", "", "无名路", "", "123", ""], ROWS[0]]
    result = _import(routed, bad)
    columns = {e.key for e in result.errors}
    assert {"case", "received_at", "category", "description", "address", "phone"} <= columns
    assert count("SELECT COUNT(*) FROM reports_publicreport") == 0
    assert count("SELECT COUNT(*) FROM workorders_workorder") == 0


def test_outside_the_importers_area_is_refused(routed):
    routed.users["cadre"]  # linquan only: the beihong rows are not theirs
    result = run_import(get_kind("hotline-cases"), workbook(ROWS), "x.xlsx", routed.users["cadre"])
    assert result.errors and count("SELECT COUNT(*) FROM reports_publicreport") == 0


def test_the_reply_sheet_reads_back_with_two_libraries(routed):
    _import(routed, ROWS)
    admin, worker = routed.users["admin"], routed.users["gridworker"]
    report = PublicReport.objects.get(hotline_case="2207140001")
    order = orders.assign(admin, report.order, worker)
    order = orders.submit_for_verification(worker, orders.start(worker, order), comment="已清理垃圾，并告知物业")
    order = orders.verify_and_close(admin, order, satisfaction="satisfied")
    body, rows = export_file(get_kind("hotline-replies"), admin, {}, "xlsx")
    assert rows == 3

    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(values) if row[0] == "工单编号")
    assert values[header_at] == ["工单编号", "办理结果", "答复时间", "满意度"]
    table = {row[0]: row for row in values[header_at + 1:]}
    assert set(table) == {"2207140001", "2207140002", "2207140003"}
    case, result, replied, satisfaction = table["2207140001"]
    assert (result, satisfaction) == ("已清理垃圾，并告知物业", "满意")
    closed = timezone.localtime(order.closed_at).replace(tzinfo=None)
    assert abs(replied - closed) < datetime.timedelta(seconds=1)
    assert table["2207140002"][1].startswith("办理中") and table["2207140002"][2] is None

    calamine = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()
    by_case = {row[0]: row for row in calamine[header_at + 1:]}
    assert [by_case[k][1] for k in sorted(by_case)] == [table[k][1] for k in sorted(table)]
    assert by_case["2207140001"][3] == "满意"


def test_the_cases_export_masks_the_phone_and_imports_back_unchanged(routed):
    _import(routed, ROWS)
    admin = routed.users["admin"]
    body, rows = export_file(get_kind("hotline-cases"), admin, {}, "xlsx")
    assert rows == 3
    text = str(list(openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)))
    assert "13900001111" not in text and "139****1111" in text
    back = run_import(get_kind("hotline-cases"), body, "导出.xlsx", admin)
    assert (back.created, back.updated, back.unchanged, back.errors) == (0, 0, 3, [])
    assert PublicReport.objects.get(hotline_case="2207140001").phone == "13900001111"


def test_the_api_lists_and_shows_a_case(routed, client):
    _import(routed, ROWS)
    headers = {"Authorization": f"Bearer {routed.token('leader')}"}
    listing = client.get("/api/v1/public-reports?channel=hotline&category=noise", headers=headers).json()
    assert [r["hotline_case"] for r in listing["items"]] == ["2207140002"]
    one = client.get(f"/api/v1/public-reports/{listing['items'][0]['id']}", headers=headers).json()
    assert one["phone_masked"] == "021****5678" and one["channel"] == "hotline" and not one["has_photo"]
