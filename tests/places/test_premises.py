"""Premises: placement on road segments, grids, shifts, services, pages, API, ledgers."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from wangge.core.models import Area, AuditEntry
from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import get_kind
from wangge.core.tabular.writing import template_workbook
from wangge.core.validators import credit_code_check_character
from wangge.places import services
from wangge.places.hours import shift_of
from wangge.places.models import Premises, PremisesCategory, RoadSegment


def credit(body="92310105ABCDEFGH1"):
    return body + credit_code_check_character(body)


@pytest.mark.parametrize("opens,closes,shift", [
    ((9, 0), (17, 0), "day"), ((20, 0), (2, 0), "night"), ((10, 0), (22, 0), "both"), ((18, 0), (23, 0), "night"),
    ((6, 0), (18, 0), "day"), ((0, 0), (0, 0), "both"), ((19, 0), (5, 0), "night"),
])
def test_shift_from_opening_hours(opens, closes, shift):
    assert shift_of(datetime.time(*opens), datetime.time(*closes)) == shift
    assert shift_of(None, None) == "both"


def test_placed_on_segment_by_address_and_side(world):
    cadre = world.users["cadre"]
    restaurant = PremisesCategory.objects.get(code="restaurant")
    odd = services.register_premises(cadre, name="单号店", category=restaurant, address="仙霞西路 17号")
    assert odd.segment == world.segments["xianxia"] and odd.grid == world.grids["linquan1"]
    assert odd.address == "仙霞西路17号" and odd.address_number == 17
    # Even numbers are not on the odd-side segment: a grid must then be chosen by hand.
    with pytest.raises(Exception, match="网格|grid"):
        services.register_premises(cadre, name="双号店", category=restaurant, address="仙霞西路18号")
    even = services.register_premises(cadre, name="双号店", category=restaurant, address="仙霞西路18号",
                                      grid=world.grids["linquan2"])
    assert even.segment is None and even.grid == world.grids["linquan2"]


def test_grid_from_coordinates(world):
    grid = world.grids["linquan2"]
    grid.boundary = {"type": "Polygon", "coordinates": [[[121.0, 31.0], [121.1, 31.0], [121.1, 31.1], [121.0, 31.1],
                                                         [121.0, 31.0]]]}
    grid.save()
    p = services.register_premises(world.users["cadre"], name="坐标店", category=PremisesCategory.objects.first(),
                                   address="某处", latitude=31.05, longitude=121.05)
    assert p.grid == grid


def test_cannot_register_outside_own_grids(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.register_premises(world.users["gridworker"], name="越界", category=PremisesCategory.objects.first(),
                                   address="林泉路1号", grid=world.grids["beihong2"])


def test_new_segment_adopts_premises_without_one(world):
    orphan = world.premises["beihong2"]  # 北渔路3号, no segment
    segment = RoadSegment(road="北渔路", from_number=1, to_number=50, grid=world.grids["beihong2"])
    services.save_segment(world.users["admin"], segment)
    orphan.refresh_from_db()
    assert orphan.segment == segment


def test_status_changes_only_through_the_service_and_are_audited(world, login):
    p = world.premises["linquan1"]
    client = login(world.users["officer"])  # the market office is an enforcement unit
    response = client.post(f"/premises/{p.pk}/status/", {"status": "suspended", "reason": "未落实场所码"})
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == "suspended" and p.version == 2 and p.status_basis == "未落实场所码"
    entry = AuditEntry.objects.for_object(p).filter(action="update").get()
    assert entry.changes["status"] == ["open", "suspended"] and entry.changes["reason"] == [None, "未落实场所码"]
    # The edit form has no status field.
    assert "status" not in login(world.users["cadre"]).get(f"/premises/{p.pk}/edit/").context["form"].fields


def test_credit_code_unique_when_present(world):
    from django.core.exceptions import ValidationError

    cadre, category = world.users["cadre"], PremisesCategory.objects.first()
    services.register_premises(cadre, name="甲", category=category, address="林泉路1号", grid=world.grids["linquan2"],
                               credit_code=credit())
    with pytest.raises(ValidationError):
        services.register_premises(cadre, name="乙", category=category, address="林泉路2号",
                                   grid=world.grids["linquan2"], credit_code=credit())
    services.register_premises(cadre, name="丙", category=category, address="林泉路3号", grid=world.grids["linquan2"])
    services.register_premises(cadre, name="丁", category=category, address="林泉路4号", grid=world.grids["linquan2"])


def test_form_errors_are_field_level_chinese(world, login):
    response = login(world.users["cadre"]).post("/premises/new/", {
        "name": "", "category": PremisesCategory.objects.first().pk, "address": "林泉路1号",
        "credit_code": "91350100M000100Y4X", "contact_phone": "123", "venue_code_status": "posted"})
    html = response.content.decode()
    assert response.status_code == 200
    for field in ("name", "credit_code", "contact_phone"):
        assert f'data-field="{field}"' in html
    assert "统一社会信用代码" in html and Premises.objects.count() == 4


def test_page_edit_with_stale_version_changes_nothing(world, login):
    p = world.premises["linquan1"]
    services.update_premises(world.users["cadre"], p, 1, notes="先到")
    form = {"name": "后到", "category": p.category_id, "address": p.address, "grid": p.grid_id,
            "venue_code_status": "posted", "version": 1, "is_key": "on"}
    response = login(world.users["cadre"]).post(f"/premises/{p.pk}/edit/", form)
    assert response.status_code == 200 and "已有其他人修改" in response.content.decode()
    p.refresh_from_db()
    assert p.name == "老王面馆" and p.notes == "先到"


def test_api_crud_and_stale_update(world, client):
    headers = {"Authorization": f"Bearer {world.token('cadre')}"}
    category = PremisesCategory.objects.get(code="salon")
    created = client.post("/api/v1/premises", {
        "name": "丽丽美发", "category_id": category.pk, "address": "仙霞西路21号", "contact_phone": "13933334444",
        "opens_at": "09:00", "closes_at": "21:00", "credit_code": credit()}, content_type="application/json",
        headers=headers)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["segment_id"] == world.segments["xianxia"].pk and body["contact_phone"] == "139****4444"
    assert body["shift"] == "both" and body["status"] == "open"
    url = f"/api/v1/premises/{body['id']}"
    ok = client.patch(url, {"staff_count": 5, "version": 1}, content_type="application/json", headers=headers)
    assert ok.status_code == 200 and ok.json()["staff_count"] == 5
    stale = client.patch(url, {"staff_count": 9, "version": 1}, content_type="application/json", headers=headers)
    assert stale.status_code == 409
    assert client.get(url, headers=headers).json()["staff_count"] == 5
    bad = client.post("/api/v1/premises", {"name": "x", "category_id": category.pk, "address": "a",
                                           "credit_code": "123", "grid_id": world.grids["linquan1"].pk},
                      content_type="application/json", headers=headers)
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"credit_code"}
    outside = client.post("/api/v1/premises", {"name": "x", "category_id": category.pk, "address": "a",
                                               "grid_id": world.grids["beihong1"].pk},
                          content_type="application/json", headers=headers)
    assert outside.status_code == 422 and outside.json()["errors"][0]["field"] == "grid_id"
    status = client.post(f"{url}/status", {"status": "closed", "reason": "已歇业"}, content_type="application/json",
                         headers=headers)
    assert status.status_code == 200 and status.json()["status"] == "closed"
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404


def test_api_filters_match_the_page(world, client):
    headers = {"Authorization": f"Bearer {world.token('admin')}"}
    night = client.get("/api/v1/premises?shift=night", headers=headers).json()
    assert [i["name"] for i in night["items"]] == ["北虹KTV"]
    unplaced = client.get("/api/v1/premises?segment=none", headers=headers).json()
    assert {i["name"] for i in unplaced["items"]} == {"林泉宾馆", "北虹KTV"}
    assert client.get("/api/v1/premises?status=bogus", headers=headers).status_code == 422


def test_segment_api_and_stale_update(world, client):
    headers = {"Authorization": f"Bearer {world.token('admin')}"}
    created = client.post("/api/v1/road-segments", {"road": "剑河路", "from_number": 1, "to_number": 300,
                                                    "grid_id": world.grids["linquan2"].pk},
                          content_type="application/json", headers=headers)
    assert created.status_code == 201
    url = f"/api/v1/road-segments/{created.json()['id']}"
    assert client.patch(url, {"notes": "a", "version": 1}, content_type="application/json",
                        headers=headers).status_code == 200
    assert client.patch(url, {"notes": "b", "version": 1}, content_type="application/json",
                        headers=headers).status_code == 409
    backwards = client.post("/api/v1/road-segments", {"road": "剑河路", "from_number": 500, "to_number": 400,
                                                      "grid_id": world.grids["linquan2"].pk},
                            content_type="application/json", headers=headers)
    assert backwards.status_code == 422


def test_list_page_queries_do_not_grow_with_rows(world, login, django_assert_max_num_queries):
    client = login(world.users["admin"])
    client.get("/premises/")  # warm the session and caches
    category = PremisesCategory.objects.get(code="shop")
    with django_assert_max_num_queries(12):
        assert client.get("/premises/?sort=status").status_code == 200
    Premises.objects.bulk_create([
        Premises(name=f"店{n}", category=category, address=f"哈密路{n}号", grid=world.grids["beihong1"],
                 segment=world.segments["hami"], address_key=f"店{n}@哈密路{n}号") for n in range(1, 120)])
    with django_assert_max_num_queries(12):
        response = client.get("/premises/?sort=status")
    assert response.status_code == 200 and response.content.decode().count("/premises/") >= 50


def test_template_import_export_round_trip(world):
    cadre = world.users["cadre"]
    book = load_workbook(io.BytesIO(template_workbook(get_kind("premises"))))
    sheet = book.worksheets[0]
    sheet.delete_rows(2)
    sheet.append(["阿强烧烤", "餐饮", "仙霞西路 31号", "", "是", credit("92310105ABCDEFGH2"), "", "阿强", "阿强",
                  "13812340000", "18:00", "01:00", "已张贴", "CSM1", "4", "", "", ""])
    sheet.append(["林泉花店", "沿街商铺", "林泉路12号", "林泉第2网格", "否", "", "", "", "", "", "09:00", "18:00", "",
                  "", "", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    result = run_import(get_kind("premises"), out.getvalue(), "p.xlsx", cadre)
    assert result.ok and result.created == 2, (result.file_error, result.errors)
    bbq = Premises.objects.get(name="阿强烧烤")
    assert bbq.segment == world.segments["xianxia"] and bbq.shift == "night" and bbq.contact_phone == "13812340000"
    again = run_import(get_kind("premises"), out.getvalue(), "p.xlsx", cadre)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    # The same shop without a credit code is found by name + address, however the address is spaced.
    sheet.delete_rows(2, 2)
    sheet.append(["林泉花店", "沿街商铺", "林泉路 12 号", "林泉第2网格", "否", "", "", "", "", "", "09:00", "19:00"])
    out = io.BytesIO()
    book.save(out)
    third = run_import(get_kind("premises"), out.getvalue(), "p.xlsx", cadre)
    assert (third.created, third.updated) == (0, 1)
    assert Premises.objects.get(name="林泉花店").closes_at == datetime.time(19)
    # Export what the cadre sees, then import it back: nothing changes.
    from wangge.core.tabular.writing import export_workbook

    kind = get_kind("premises")
    body, count = export_workbook(kind, kind.export_queryset(cadre, unmasked=True), unmasked=True)
    back = run_import(kind, body, "e.xlsx", cadre)
    assert back.ok and back.unchanged == count == 4, back.errors


def test_import_reports_bad_cells(world):
    book = Workbook()
    book.active.append(["名称", "类别", "地址", "网格", "统一社会信用代码", "开门时间"])
    book.active.append(["好店", "餐饮", "仙霞西路1号", "", "", "09:00"])
    book.active.append(["坏店", "不存在的类别", "仙霞西路3号", "", "123", "九点"])
    book.active.append(["好店", "餐饮", "仙霞西路1号", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    result = run_import(get_kind("premises"), out.getvalue(), "p.xlsx", world.users["cadre"])
    assert [(e.row, e.column) for e in result.errors] == [(3, "B"), (3, "E"), (3, "F"), (4, "A")]
    assert Premises.objects.count() == 4


def test_segments_ledger_round_trip(world):
    book = load_workbook(io.BytesIO(template_workbook(get_kind("road-segments"))))
    sheet = book.worksheets[0]
    sheet.delete_rows(2)
    sheet.append(["剑河路", "1", "199", "单号", "310105102022002", "gridworker", ""])
    out = io.BytesIO()
    book.save(out)
    result = run_import(get_kind("road-segments"), out.getvalue(), "s.xlsx", world.users["cadre"])
    assert result.ok and result.created == 1, result.errors
    assert RoadSegment.objects.get(road="剑河路").chief == world.users["gridworker"]
    assert run_import(get_kind("road-segments"), out.getvalue(), "s.xlsx", world.users["cadre"]).unchanged == 1


def test_map_data_and_pages_render(world, login):
    p = world.premises["linquan1"]
    p.latitude, p.longitude = 31.21, 121.37
    p.save()
    client = login(world.users["admin"])
    # The premises map draws the map component's premises layer: only premises with coordinates.
    data = client.get("/maps/layers.json").json()
    assert data["premises"]["points"] == [[121.37, 31.21, "老王面馆", "open", "low", p.pk]]
    for url in ("/premises/map/", "/premises/segments/?chief=none", "/premises/new/", "/premises/segments/new/",
                f"/premises/{p.pk}/", f"/premises/{p.pk}/edit/", f"/premises/segments/{world.segments['hami'].pk}/"):
        assert client.get(url).status_code == 200, url
    assert Area.objects.exists()


def test_raise_a_work_order_about_premises(world, login):
    from wangge.workorders.models import WorkOrder

    p = world.premises["linquan1"]
    client = login(world.users["cadre"])
    form = client.get(f"/workorders/new/?subject=places.premises:{p.pk}")
    assert form.status_code == 200 and form.context["form"].initial["subject_label"] == "老王面馆"
    response = client.post(f"/workorders/new/?subject=places.premises:{p.pk}", {
        "kind": "rectification", "title": "场所码未张贴", "grid": p.grid_id, "priority": "normal"})
    assert response.status_code == 302, response.content.decode()[:2000]
    order = WorkOrder.objects.get(title="场所码未张贴")
    assert order.subject == p
    page = client.get(f"/premises/{p.pk}/").content.decode()
    assert 'data-testid="premises-orders"' in page and "场所码未张贴" in page
    # A subject outside the user's area is a 404, not a way to learn it exists.
    other = world.premises["beihong2"]
    assert client.get(f"/workorders/new/?subject=places.premises:{other.pk}").status_code == 404
    assert client.get("/workorders/new/?subject=nonsense.model:1").status_code == 404


def test_road_chief_must_be_a_grid_worker(world, client):
    headers = {"Authorization": f"Bearer {world.token('admin')}"}
    segment = {"road": "通协路", "from_number": 1, "to_number": 99, "grid_id": world.grids["linquan2"].pk}
    refused = client.post("/api/v1/road-segments", {**segment, "chief_id": world.users["doctor"].pk},
                          content_type="application/json", headers=headers)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "chief_id"
    accepted = client.post("/api/v1/road-segments", {**segment, "chief_id": world.users["gridworker"].pk},
                           content_type="application/json", headers=headers)
    assert accepted.status_code == 201
