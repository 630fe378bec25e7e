"""Ledger kind `enterprises`: a valid file imports, a bad one is refused with row and column and writes
nothing, the same file again changes nothing, and exports keep scope and masking."""

import io

from openpyxl import Workbook, load_workbook

from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import all_kinds, get_kind
from wangge.economy.models import Enterprise

from .conftest import credit_code

HEADERS = ["企业名称", "统一社会信用代码", "行业", "规模", "地址", "网格", "园区", "联系人", "联系电话", "员工数",
           "状态"]


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(economy):
    return [HEADERS,
            ["林泉科技有限公司", credit_code(50), "信息技术", "小型", "林泉路10号", "310105102022002",
             "西郊国际金融产业园", "李经理", "13700001111", "25", "正常经营"],
            ["林泉贸易有限公司", credit_code(51), "批发和零售", "微型", "林泉路12号", "林泉第1网格", "", "", "", "",
             ""]]


def test_kind_is_registered_for_the_ledgers_page(economy, login):
    assert "enterprises" in {k.name for k in all_kinds()}
    assert "enterprises" in login(economy.users["cadre"]).get("/ledgers/").content.decode()


def test_valid_file_imports_then_again_changes_nothing(economy):
    cadre = economy.users["cadre"]
    result = run_import(get_kind("enterprises"), xlsx(_rows(economy)), "e.xlsx", cadre)
    assert result.ok and (result.created, result.updated, result.unchanged) == (2, 0, 0), result.errors
    tech = Enterprise.objects.get(credit_code=credit_code(50))
    assert tech.park == economy.parks["xijiao"] and tech.industry == "technology" and tech.employees == 25
    assert tech.contact_phone == "13700001111" and tech.contact_phone_masked == "137****1111"
    again = run_import(get_kind("enterprises"), xlsx(_rows(economy)), "e.xlsx", cadre)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = _rows(economy)
    changed[2][9] = "8"
    third = run_import(get_kind("enterprises"), xlsx(changed), "e.xlsx", cadre)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 1)


def test_bad_file_reports_row_and_column_and_writes_nothing(economy):
    rows = _rows(economy)
    rows[1][1] = "91310105MA1FL00501"  # wrong check character
    rows[2][5] = "310105102019001"  # a grid the cadre does not manage
    rows.append(["北虹重复", credit_code(51), "", "", "北渔路1号", "林泉第2网格", "", "", "1234", "", ""])
    before = Enterprise.objects.count()
    result = run_import(get_kind("enterprises"), xlsx(rows), "e.xlsx", economy.users["cadre"])
    assert Enterprise.objects.count() == before
    cells = {(e.row, e.column) for e in result.errors}
    assert {(2, "B"), (3, "F"), (4, "I")} <= cells
    assert all(e.message for e in result.errors)
    assert all("1234" not in (e.value or "") for e in result.errors if e.column == "I")  # personal: masked


def test_existing_enterprise_outside_scope_is_refused(economy):
    rows = [HEADERS, ["北虹商贸公司", economy.enterprises["beihong1"].credit_code, "", "", "林泉路1号", "林泉第1网格",
                      "", "", "", "", ""]]
    result = run_import(get_kind("enterprises"), xlsx(rows), "e.xlsx", economy.users["cadre"])
    assert not result.ok and result.errors[0].row == 2
    assert Enterprise.objects.get(pk=economy.enterprises["beihong1"].pk).grid == economy.world.grids["beihong1"]


def test_export_holds_scope_masks_and_reimports_unchanged(economy, login):
    response = login(economy.users["cadre"]).get("/ledgers/enterprises/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {r[0] for r in rows[2:]} == {"西郊金融信息公司", "新泾融资租赁公司"}
    assert "139****2222" in {r[8] for r in rows[2:]}
    result = run_import(get_kind("enterprises"), response.content, "e.xlsx", economy.users["cadre"])
    assert result.ok and result.unchanged == 2, result.errors
