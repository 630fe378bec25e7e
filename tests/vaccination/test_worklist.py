"""A family doctor's worklist holds exactly their signed residents plus the unsigned of their
neighbourhood, in priority order; a neighbourhood's worklist holds its unsigned residents."""

import datetime

from django.utils import timezone

from wangge.vaccination.services import census, outreach

from .conftest import AS_OF

# Priority: 80+ first (赵强 1939, 孙秀兰 1940; 孙秀兰 willing and not booked leads), then the willing not
# booked (吴德福), then the oldest first (李娜 1948, willing but booked; 张伟 1952).
EXPECTED = ["孙秀兰", "赵强", "吴德福", "李娜", "张伟"]


def _prepare(town):
    admin = town.users["admin"]
    asked = datetime.date(2022, 4, 20)
    census.record_answer(admin, town.people["alone"], reason="hesitant", willingness="willing", asked_on=asked)
    census.record_answer(admin, town.people["bedridden"], reason="bedridden", willingness="willing", asked_on=asked)
    lina = town.world.residents["linquan2"]
    census.record_answer(admin, lina, reason="hesitant", willingness="willing", asked_on=asked)
    outreach.book(admin, lina, point=town.points[0], date=timezone.localdate() + datetime.timedelta(days=2))


def test_doctor_worklist_is_exact_and_in_priority_order(town, settings):
    _prepare(town)
    doctor = town.users["doctor"]
    # Booked from the reference date on: use today so the booking above counts.
    names = [p.name for p in outreach.worklist(doctor, timezone.localdate())]
    # Ages on today's date: all five are 60+; 王芳 (unsigned, Beihong) is not the doctor's.
    assert names == EXPECTED
    assert "王芳" not in names and "周杰" not in names  # another neighbourhood; under 60


def test_worklist_api_and_page_give_the_same_order(town, client, login):
    _prepare(town)
    token = town.world.token("doctor")
    today = timezone.localdate().isoformat()
    response = client.get(f"/api/v1/vaccination/worklist?as_of={today}", headers={"Authorization": f"Bearer {token}"})
    assert [i["name"] for i in response.json()["items"]] == EXPECTED
    page = login(town.users["doctor"]).get(f"/vaccination/worklist/?as_of={today}")
    assert [p.name for p in page.context["page"]] == EXPECTED


def test_neighbourhood_worklist_holds_its_unsigned(town):
    _prepare(town)
    cadre = town.users["cadre"]
    names = [p.name for p in outreach.worklist(cadre, AS_OF, town.world.hoods["linquan"])]
    assert names == ["孙秀兰", "吴德福"]
    # The doctor's signed residents are not on the neighbourhood's list, and a fully vaccinated person
    # leaves every list.
    from wangge.vaccination.services import doses

    doses.record_dose(town.users["admin"], town.people["alone"], number=1, given_on=datetime.date(2022, 4, 1),
                      vaccine_type="adenovirus")
    assert [p.name for p in outreach.worklist(cadre, AS_OF, town.world.hoods["linquan"])] == ["吴德福"]


def test_grid_worker_works_on_the_unsigned_of_their_grid(town, login):
    _prepare(town)
    web = login(town.users["gridworker"])
    page = web.get("/vaccination/worklist/?as_of=2022-05-01")
    assert page.context["hood"] == town.world.grids["linquan1"]
    assert [p.name for p in page.context["page"]] == ["孙秀兰", "吴德福"]
    # Another neighbourhood's id is not theirs: the first of their own areas is shown instead.
    other = web.get(f"/vaccination/worklist/?hood={town.world.hoods['beihong'].pk}")
    assert other.context["hood"] == town.world.grids["linquan1"]
