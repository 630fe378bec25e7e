"""Every operational list leaves the screen with its filters (issue #22.8): an .xlsx with column
widths, a frozen and filtered header, grids and people by name, a first line that says whose scope it
holds; a print layout; each export logged; rows only through visible_to, as the list shows them."""

import io

import pytest
from django.db import connection
from openpyxl import load_workbook

from wangge.core.models import Area, AreaLevel, AuditEntry
from wangge.core.roles import Role
from wangge.workorders.choices import State

from ..access.conftest import estate  # noqa: F401  (one row of every kind, in linquan1)
from ..community.conftest import hood  # noqa: F401
from ..conftest import make_user
from ..economy.conftest import economy  # noqa: F401
from ..sampling.conftest import sites  # noqa: F401
from ..workorders.helpers import raise_order

LISTS = {  # kind -> (its list page, the parameters a list under a parent needs)
    "work-orders": ("/workorders/", {}),
    "door-knocking": ("/residents/rounds/{round}/knock/", {"round": "round"}),
    "screening-results": ("/residents/rounds/{round}/", {"round": "round"}),
    "care-visits": ("/residents/care/visits/", {}),
    "vaccination-worklist": ("/vaccination/worklist/", {}),
    "vaccination-register": ("/vaccination/register/", {}),
    "vaccination-coverage": ("/vaccination/", {}),
    "enterprise-visits": ("/economy/visits/", {}),
}


def sheet_of(response):
    assert response.status_code == 200, response.status_code
    return load_workbook(io.BytesIO(response.content)).active


def sql_count(query, params) -> int:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()[0]


def exports_logged() -> int:
    return AuditEntry.objects.filter(action="export").count()


@pytest.mark.django_db
def test_every_list_exports_and_prints_with_its_scope(estate, login):  # noqa: F811
    world = estate.world
    cadre = login(world.users["cadre"])
    for kind, (page, needs) in LISTS.items():
        params = {p: estate.rows[row].pk for p, row in needs.items()}
        listing = cadre.get(page.format(**params)).content.decode()
        # The list page offers both, carrying its parameters.
        assert f"/ledgers/{kind}/export.xlsx" in listing and f"/ledgers/{kind}/print/" in listing, kind
        before = exports_logged()
        sheet = sheet_of(cadre.get(f"/ledgers/{kind}/export.xlsx", params))
        assert sheet["A1"].value.startswith("仅含您的范围：林泉"), (kind, sheet["A1"].value)
        assert "新泾镇" in sheet["A1"].value
        assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:"), kind
        assert sheet["A2"].font.b and sheet.column_dimensions["A"].width > 0, kind
        assert sheet.max_row > 2, f"{kind}: no rows"
        printed = cadre.get(f"/ledgers/{kind}/print/", params)
        assert printed.status_code == 200 and "仅含您的范围：林泉" in printed.content.decode(), kind
        assert exports_logged() == before + 2, kind  # the file and the printout, like every export

    # A round out of scope: nothing in the file, not even its name in the heading.
    empty = Area.objects.create(code="310105102099", name="空社区", level=AreaLevel.NEIGHBOURHOOD, parent=world.town)
    outsider = login(make_user("outsider", Role.NEIGHBOURHOOD_CADRE, [empty]))
    for kind in ("door-knocking", "screening-results"):
        sheet = sheet_of(outsider.get(f"/ledgers/{kind}/export.xlsx", {"round": estate.rows["round"].pk}))
        assert sheet.max_row == 2 and estate.rows["round"].name not in sheet["A1"].value
        assert "仅含您的范围：空社区" in sheet["A1"].value


@pytest.mark.django_db
def test_work_order_export_keeps_the_filters_and_names(estate, login):  # noqa: F811
    world = estate.world
    raise_order(world, grid="beihong1")  # outside the cadre's neighbourhood
    raise_order(world, grid="linquan2", department="health", assignee=None)
    cadre = login(world.users["cadre"])
    sheet = sheet_of(cadre.get("/ledgers/work-orders/export.xlsx", {"state": "assigned", "grid": "", "page": "2"}))
    header = [c.value for c in sheet[2]]
    rows = [dict(zip(header, (c.value for c in row), strict=False)) for row in sheet.iter_rows(min_row=3)]
    linquan = world.hoods["linquan"].path
    expected = sql_count("SELECT COUNT(*) FROM workorders_workorder w JOIN core_area a ON a.id = w.grid_id "
                         "WHERE a.path LIKE %s AND w.state = %s", [linquan + "%", State.ASSIGNED])
    assert len(rows) == expected > 0
    assert "状态：已派单" in sheet["A1"].value
    assert {r["网格"] for r in rows} <= {"林泉第1网格", "林泉第2网格"}  # grids by name, none of beihong
    assert {r["承办人"] for r in rows} == {"gridworker"}  # people by their name (the test town's names)
    # An administrator's export holds the whole town: no scope line, every order.
    admin = login(world.users["admin"])
    whole = sheet_of(admin.get("/ledgers/work-orders/export.xlsx"))
    assert whole["A1"].value.startswith("新泾镇") and "仅含" not in whole["A1"].value
    assert whole.max_row - 2 == sql_count("SELECT COUNT(*) FROM workorders_workorder", [])


@pytest.mark.django_db
def test_an_export_with_its_heading_imports_back_unchanged(world, login):
    cadre = login(world.users["cadre"])
    body = cadre.get("/ledgers/premises/export.xlsx?unmasked=1").content
    assert load_workbook(io.BytesIO(body)).active["A1"].value.startswith("仅含您的范围")
    from wangge.core.tabular.importer import run_import
    from wangge.core.tabular.kinds import get_kind

    back = run_import(get_kind("premises"), body, "premises.xlsx", world.users["cadre"])
    assert back.ok and back.unchanged == 2 and back.created == back.updated == 0, back.errors
