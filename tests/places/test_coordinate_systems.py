"""Premises coordinates from 高德 or 百度 are stored as WGS-84, whichever path brings them in.

Oracles are published reference points, not our conversion:
- GCJ-02 of the Shanghai point: googollee/eviltransform, python/test.py;
- BD-09 of GCJ-02 (116.404, 39.915), and the approximate WGS-84 of it (a metre or two off):
  wandergis/coordtransform, test/app.js.
"""

import io

import pytest
from openpyxl import Workbook

from wangge.core import coords
from wangge.core.models import AuditEntry
from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import get_kind
from wangge.core.tabular.writing import export_workbook
from wangge.places.models import Premises, PremisesCategory

SHANGHAI_WGS = (31.1774276, 121.5272106)  # lat, lng
SHANGHAI_GCJ = (31.17530398364597, 121.531541859215)
BEIJING_BD = (39.92133699351021, 116.41036949371029)  # BD-09 of GCJ-02 (116.404, 39.915)
BEIJING_WGS_APPROX = (39.91359571849836, 116.39775550083061)

HEADINGS = ["名称", "类别", "地址", "网格", "纬度", "经度", "坐标系"]


def workbook(rows) -> bytes:
    book = Workbook()
    book.active.append(HEADINGS)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored(name) -> tuple[float, float]:
    p = Premises.objects.get(name=name)
    return float(p.latitude), float(p.longitude)


@pytest.mark.parametrize(("text", "system"), [
    ("", None), ("WGS-84", "wgs84"), ("wgs84", "wgs84"), ("GPS", "wgs84"), ("天地图", "wgs84"),
    ("CGCS2000", "cgcs2000"), ("国家2000", "cgcs2000"), ("GCJ-02", "gcj02"), ("高德", "gcj02"), ("腾讯地图", "gcj02"),
    ("火星坐标", "gcj02"), ("BD-09", "bd09"), ("百度坐标", "bd09"), ("bd09ll", "bd09"), ("北京54", None),
    # The labels the template's drop-down offers name their own system.
    *[(str(label), system.value) for system, label in coords.LABELS.items()],
])
def test_parse_system(text, system):
    assert coords.parse_system(text) == system


def test_ledger_converts_named_systems_and_reimport_is_unchanged(world):
    grid = world.grids["linquan2"].name
    body = workbook([
        ["高德店", "餐饮", "某路1号", grid, SHANGHAI_GCJ[0], SHANGHAI_GCJ[1], "高德"],
        ["百度店", "餐饮", "某路2号", grid, BEIJING_BD[0], BEIJING_BD[1], "BD-09（百度）"],
        ["GPS店", "餐饮", "某路3号", grid, SHANGHAI_WGS[0], SHANGHAI_WGS[1], ""],
        ["天地图店", "餐饮", "某路4号", grid, SHANGHAI_WGS[0], SHANGHAI_WGS[1], "CGCS2000"],
    ])
    result = run_import(get_kind("premises"), body, "p.xlsx", world.users["cadre"])
    assert result.ok and result.created == 4, (result.file_error, result.errors)
    assert stored("高德店") == pytest.approx(SHANGHAI_WGS, abs=1.5e-6)  # stored to 6 decimals
    assert stored("百度店") == pytest.approx(BEIJING_WGS_APPROX, abs=2e-5)  # coordtransform's is approximate
    assert stored("GPS店") == stored("天地图店") == pytest.approx(SHANGHAI_WGS, abs=1e-6)
    # The same file again: the converted coordinates equal the stored ones, nothing to change.
    again = run_import(get_kind("premises"), body, "p.xlsx", world.users["cadre"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4), again.errors


def test_unknown_system_is_a_cell_error_and_nothing_is_written(world):
    before = (Premises.objects.count(), AuditEntry.objects.count())
    body = workbook([
        ["好店", "餐饮", "某路1号", world.grids["linquan2"].name, SHANGHAI_WGS[0], SHANGHAI_WGS[1], "WGS-84"],
        ["坏店", "餐饮", "某路2号", world.grids["linquan2"].name, SHANGHAI_GCJ[0], SHANGHAI_GCJ[1], "北京54"],
    ])
    result = run_import(get_kind("premises"), body, "p.xlsx", world.users["cadre"])
    assert not result.ok and [(e.row, e.column) for e in result.errors] == [(3, "G")]
    assert "坐标系" in result.errors[0].message
    assert (Premises.objects.count(), AuditEntry.objects.count()) == before


def test_export_is_wgs84_and_says_so_and_imports_back_unchanged(world):
    run_import(get_kind("premises"), workbook([
        ["高德店", "餐饮", "某路1号", world.grids["linquan2"].name, SHANGHAI_GCJ[0], SHANGHAI_GCJ[1], "高德"]]),
        "p.xlsx", world.users["cadre"])
    kind = get_kind("premises")
    body, count = export_workbook(kind, kind.export_queryset(world.users["cadre"], unmasked=True), unmasked=True)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "高德店")
    assert row[header.index("纬度")] == pytest.approx(SHANGHAI_WGS[0], abs=1.5e-6)
    assert coords.parse_system(row[header.index("坐标系")]) == "wgs84"
    back = run_import(kind, body, "e.xlsx", world.users["cadre"])
    assert back.ok and back.unchanged == count, back.errors


def test_form_converts_the_chosen_system(world, login):
    response = login(world.users["cadre"]).post("/premises/new/", {
        "name": "表单店", "category": PremisesCategory.objects.get(code="restaurant").pk, "address": "某路9号",
        "grid": world.grids["linquan2"].pk, "venue_code_status": "posted", "is_key": "on",
        "latitude": f"{SHANGHAI_GCJ[0]:.6f}", "longitude": f"{SHANGHAI_GCJ[1]:.6f}", "coordinate_system": "gcj02"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored("表单店") == pytest.approx(SHANGHAI_WGS, abs=2e-6)


def test_api_converts_and_refuses_a_system_without_both_coordinates(world, client):
    headers = {"Authorization": f"Bearer {world.token('cadre')}"}
    base = {"category_id": PremisesCategory.objects.get(code="restaurant").pk, "grid_id": world.grids["linquan2"].pk}
    created = client.post("/api/v1/premises", {
        **base, "name": "接口店", "address": "某路7号", "latitude": round(SHANGHAI_GCJ[0], 6),
        "longitude": round(SHANGHAI_GCJ[1], 6), "coordinate_system": "gcj02"},
        content_type="application/json", headers=headers)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (float(body["latitude"]), float(body["longitude"])) == pytest.approx(SHANGHAI_WGS, abs=2e-6)
    count = Premises.objects.count()
    bad = client.post("/api/v1/premises", {**base, "name": "半坐标", "address": "某路8号", "latitude": 31.2,
                                           "coordinate_system": "bd09"}, content_type="application/json",
                      headers=headers)
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["coordinate_system"]
    assert Premises.objects.count() == count
    unknown = client.post("/api/v1/premises", {**base, "name": "未知", "address": "某路8号", "latitude": 31.2,
                                               "longitude": 121.3, "coordinate_system": "beijing54"},
                          content_type="application/json", headers=headers)
    assert unknown.status_code == 422 and Premises.objects.count() == count
