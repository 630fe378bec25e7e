"""Screening rounds: roster, results, coverage per compound, the door-knocking list matching the
coverage figures, import of results by ID number."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wangge.community.choices import ResidentStatus, ScreeningStatus
from wangge.community.models import Resident, ScreeningResult
from wangge.community.services import screening
from wangge.core.models import AuditEntry

from ..conftest import id_number
from .conftest import TODAY, import_rows, person


@pytest.fixture
def opened(hood):
    """A round over the cadre's two compounds; in 林泉小区 one tested, one exempt, one away."""
    cadre = hood.users["cadre"]
    Resident.objects.filter(pk=hood.people["young"].pk).update(status=ResidentStatus.MOVED_OUT)  # not on the roster
    r = screening.open_round(cadre, name="第三轮", date=TODAY,
                             compounds=[hood.compounds["linquan1"], hood.compounds["linquan2"]])
    result = {p: ScreeningResult.objects.get(round=r, resident=hood.people[p]) for p in ("alone", "bedridden", "away")}
    screening.record_result(cadre, result["alone"], status=ScreeningStatus.TESTED)
    screening.record_result(cadre, result["bedridden"], status=ScreeningStatus.EXEMPT,
                            exempt_reason="卧床，上门采样另约")
    screening.record_result(cadre, result["away"], status=ScreeningStatus.AWAY)
    return r


def test_roster_and_coverage(hood, opened):
    rows = {c.compound: c for c in screening.coverage(opened, hood.users["cadre"])}
    lq = rows["林泉小区"]
    # 张伟 and the four people minus the one who moved out.
    assert (lq.on_roster, lq.tested, lq.exempt, lq.away, lq.not_yet, lq.should) == (4, 1, 1, 1, 1, 2)
    assert lq.percent == 50.0
    assert (rows["泉口小区"].on_roster, rows["泉口小区"].percent) == (1, 0.0)
    total = screening.total(list(rows.values()))
    assert (total.on_roster, total.tested, total.should) == (5, 1, 3)


def test_not_yet_list_matches_coverage(hood, opened, login):
    """For every compound and every role: rows on the door-knocking list = should be tested − tested."""
    later = person(hood.world.grids["linquan1"], hood.compounds["linquan1"], "新来", "19950101", 13, "4号", "401")
    assert screening.add_to_round(hood.users["cadre"], opened) == 1
    assert ScreeningResult.objects.get(round=opened, resident=later).status == ScreeningStatus.NOT_YET
    for role in ("admin", "leader", "cadre", "gridworker"):
        user = hood.users[role]
        rows = screening.coverage(opened, user)
        knocking = list(screening.not_yet(opened, user))
        assert rows, role
        for row in rows:
            listed = [r for r in knocking if r.compound_id == row.compound_id]
            assert len(listed) == row.not_yet == row.should - row.tested, (role, row)
        assert len(knocking) == screening.total(rows).not_yet
        # The page shows the same count.
        page = login(user).get(f"/residents/rounds/{opened.pk}/knock/").content.decode()
        assert page.count('data-testid="not-yet"') == len(knocking), role
    # The grid worker sees only linquan1's compound.
    assert {r.compound for r in screening.coverage(opened, hood.users["gridworker"])} == {"林泉小区"}


def test_exempt_needs_a_reason_and_scope_is_checked(hood, opened):
    result = ScreeningResult.objects.get(round=opened, resident=hood.world.residents["linquan1"])
    with pytest.raises(ValidationError) as caught:
        screening.record_result(hood.users["cadre"], result, status=ScreeningStatus.EXEMPT)
    assert "exempt_reason" in caught.value.message_dict
    other = ScreeningResult.objects.get(round=opened, resident=hood.world.residents["linquan2"])
    with pytest.raises(ValidationError):
        screening.record_result(hood.users["gridworker"], other, status=ScreeningStatus.TESTED)
    with pytest.raises(ValidationError):
        screening.open_round(hood.users["gridworker"], name="越界", date=TODAY, compounds=[hood.compounds["linquan2"]])


def test_results_import_by_id_number_twice_changes_nothing(hood, opened):
    cadre = hood.users["cadre"]
    zhang = hood.world.residents["linquan1"]
    rows = [["姓名", "证件号码", "采样时间"], ["张伟", zhang.id_number, "2022-04-10 09:15"],
            ["孙秀兰", hood.people["alone"].id_number, "2022/4/10 10:00"]]
    first = import_rows("screening-results", rows, cadre)
    assert first.ok and (first.updated, first.unchanged) == (1, 1), first.errors
    result = ScreeningResult.objects.get(round=opened, resident=zhang)
    assert result.status == ScreeningStatus.TESTED and timezone.localtime(result.tested_at).hour == 9
    entries = AuditEntry.objects.count()
    again = import_rows("screening-results", rows, cadre)
    assert again.ok and again.unchanged == 2 and AuditEntry.objects.count() == entries


def test_results_import_errors_are_cells_and_masked(hood, opened):
    stranger = id_number("19660606", 17)
    rows = [["身份证号", "采样时间"], [stranger, "2022-04-10 09:00"],
            [hood.world.residents["linquan1"].id_number, "昨天"],
            [hood.world.residents["beihong1"].id_number, "2022-04-10 09:00"]]  # not on the cadre's rosters
    result = import_rows("screening-results", rows, hood.users["cadre"])
    assert not result.ok and {(e.row, e.column) for e in result.errors} == {(3, "B")}
    rows.pop(2)
    result = import_rows("screening-results", rows, hood.users["cadre"])
    assert {(e.row, e.column) for e in result.errors} == {(2, "A"), (3, "A")}
    assert stranger not in str([e.as_dict() for e in result.errors])
    assert not ScreeningResult.objects.filter(round=opened, status=ScreeningStatus.TESTED,
                                              tested_at__date=datetime.date(2022, 4, 10)).exclude(
        resident=hood.people["alone"]).exists()


def test_pages_record_a_result(hood, opened, login):
    client = login(hood.users["gridworker"])
    assert "50.0%" in client.get(f"/residents/rounds/{opened.pk}/").content.decode()
    result = ScreeningResult.objects.get(round=opened, resident=hood.world.residents["linquan1"])
    client.post(f"/residents/rounds/results/{result.pk}/", {"status": "exempt", "exempt_reason": "",
                                                            "version": result.version})
    result.refresh_from_db()
    assert result.status == ScreeningStatus.NOT_YET  # refused: no reason
    client.post(f"/residents/rounds/results/{result.pk}/", {"status": "tested", "version": result.version})
    result.refresh_from_db()
    assert result.status == ScreeningStatus.TESTED and result.recorded_by == hood.users["gridworker"]


def test_the_reason_for_an_exemption_shows_only_to_who_may_see_health_facts(hood, opened, login):
    page = f"/residents/{hood.people['bedridden'].pk}/"
    assert "卧床，上门采样另约" in login(hood.users["cadre"]).get(page).content.decode()
    leader = login(hood.users["leader"]).get(page).content.decode()
    assert "第三轮" in leader and "卧床，上门采样另约" not in leader


def test_api_round_keeps_the_organiser_it_was_asked_for(hood, client):
    """#20.19: a round requested with an organising area is stored with that area (it was silently
    replaced by the compounds' grid); an area that does not hold the compounds is a field error."""
    from wangge.community.models import ScreeningRound

    headers = {"Authorization": f"Bearer {hood.world.token('cadre')}"}
    compound = hood.compounds["linquan1"]
    hood_area = hood.world.hoods["linquan"]
    body = {"name": "第五轮", "date": str(TODAY), "compound_ids": [compound.pk], "area_id": hood_area.pk}
    response = client.post("/api/v1/screening-rounds", body, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    assert response.json()["area_id"] == hood_area.pk
    assert ScreeningRound.objects.get(pk=response.json()["id"]).area_id == hood_area.pk
    other = dict(body, area_id=hood.world.grids["linquan2"].pk)  # the cadre's, but not the compound's grid
    response = client.post("/api/v1/screening-rounds", other, content_type="application/json", headers=headers)
    assert response.status_code == 422 and [e["field"] for e in response.json()["errors"]] == ["area"]
    foreign = dict(body, area_id=hood.world.hoods["beihong"].pk)
    response = client.post("/api/v1/screening-rounds", foreign, content_type="application/json", headers=headers)
    assert response.status_code == 422 and [e["field"] for e in response.json()["errors"]] == ["area_id"]
    assert ScreeningRound.objects.count() == 1
    # Without an area, the smallest area holding the compounds, as before.
    plain = client.post("/api/v1/screening-rounds", dict(body, area_id=None), content_type="application/json",
                        headers=headers)
    assert plain.status_code == 201 and plain.json()["area_id"] == compound.grid_id


def test_opening_a_round_takes_the_same_queries_for_any_number_of_residents(hood):
    """Each new result's trail entry names its resident: the names come with the roster, not one query each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cadre, compound = hood.users["cadre"], hood.compounds["linquan1"]

    def opening(name) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            r = screening.open_round(cadre, name=name, date=TODAY, compounds=[compound])
        return len(ctx.captured_queries), r.results.count()

    opening("预热")  # caches (content types) warm
    few = opening("少")
    for n in range(20):
        person(hood.world.grids["linquan1"], compound, f"居民{n}", "19800101", 100 + n, "5号", f"{n + 1}01")
    many = opening("多")
    assert many[1] == few[1] + 20 and many[0] == few[0]
    labels = set(AuditEntry.objects.filter(action="create", object_repr__startswith=f"{TODAY:%Y-%m-%d} 多 ")
                 .values_list("object_repr", flat=True))
    assert f"{TODAY:%Y-%m-%d} 多 居民7" in labels and len(labels) == many[1]
