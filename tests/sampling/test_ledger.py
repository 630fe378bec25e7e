"""The sampling-throughput ledger: all or nothing, row and column in errors, re-import updates in place."""

import datetime

from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import get_kind
from wangge.sampling.models import SiteShift

HEADER = "采样点,日期,班次,采样人数,工作人员,志愿者\n"


def _csv(rows: list[str]) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


def test_import_creates_then_reimport_changes_nothing_then_updates(world, sites):
    cadre = world.users["cadre"]
    kind = get_kind("sampling-throughput")
    data = _csv(["林泉绿地采样点,2022-07-14,上午班,420,4,6", "LQ2,2022/7/14,evening,180,3,5",
                 "林泉绿地采样点,2022年7月14日,下午班,300,,"])
    first = run_import(kind, data, "t.csv", cadre)
    assert first.ok and (first.created, first.updated, first.unchanged) == (3, 0, 0)
    again = run_import(kind, data, "t.csv", cadre)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert SiteShift.objects.count() == 3
    changed = run_import(kind, _csv(["林泉绿地采样点,2022-07-14,上午班,450,4,6"]), "t.csv", cadre)
    assert (changed.created, changed.updated) == (0, 1)
    row = SiteShift.objects.get(site=sites["linquan1"], date=datetime.date(2022, 7, 14), shift="morning")
    assert (row.samples, row.version) == (450, 2)
    afternoon = SiteShift.objects.get(site=sites["linquan1"], shift="afternoon")
    assert (afternoon.staff_count, afternoon.volunteer_count) == (0, 0)


def test_one_bad_row_rejects_the_file_with_row_and_column(world, sites):
    sampler = world.users["sampler"]
    data = _csv(["林泉绿地采样点,2022-07-14,上午班,420,4,6", "北虹临时采样点,2022-07-14,上午班,10,1,1",
                 "LQ2,2099-01-01,午夜班,-3,2,2"])
    result = run_import(get_kind("sampling-throughput"), data, "t.csv", sampler)
    assert not result.ok
    cells = {(e.row, e.column) for e in result.errors}
    # row 3: a site outside the sampler's neighbourhood; row 4: future date, unknown shift, negative samples.
    assert cells == {(3, "A"), (4, "B"), (4, "C"), (4, "D")}
    assert not SiteShift.objects.exists()


def test_export_re_imports(world, sites, login):
    from ..exported import exported_rows

    run_import(get_kind("sampling-throughput"), _csv(["林泉绿地采样点,2022-07-14,上午班,420,4,6"]), "t.csv",
               world.users["cadre"])
    response = login(world.users["cadre"]).get("/ledgers/sampling-throughput/export.xlsx")
    assert response.status_code == 200
    assert list(exported_rows(response.content)[0][:4]) == ["林泉绿地采样点", "2022-07-14", "上午班", 420]
    again = run_import(get_kind("sampling-throughput"), response.content, "e.xlsx", world.users["cadre"])
    assert again.ok and again.unchanged == 1


def test_sampling_staff_reach_the_import_page_and_template(world, sites, login):
    from wangge.core.roles import Role

    from ..conftest import make_user

    client = login(make_user("sampler2", Role.SAMPLING_STAFF, [world.hoods["linquan"]]))
    assert client.get("/ledgers/sampling-throughput/import/").status_code == 200
    template = client.get("/ledgers/sampling-throughput/template.xlsx")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/ledgers/sampling-throughput/export.xlsx").status_code in (403, 404)  # no export permission
    assert login(world.users["gridworker"]).get("/ledgers/sampling-throughput/import/").status_code in (403, 404)
