"""Status is derived from the doses and follows corrections both ways; coverage figures equal a direct
count over the residents (per neighbourhood, compound, age band and dose; both denominators)."""

import datetime

from wangge.community.models import Resident
from wangge.vaccination.choices import Reason, Status
from wangge.vaccination.models import Dose, VaccinationStatus
from wangge.vaccination.services import census, coverage, doses
from wangge.vaccination.services.status import band_of

from .conftest import AS_OF


def _status(resident) -> str:
    row = VaccinationStatus.objects.filter(resident=resident).first()
    return row.status if row else Status.UNVACCINATED


def test_status_follows_doses_and_corrections_both_ways(town):
    admin, p = town.users["admin"], town.world.residents["linquan1"]
    day = datetime.date(2021, 5, 1)
    assert _status(p) == Status.UNVACCINATED
    d1 = doses.record_dose(admin, p, number=1, given_on=day, vaccine_type="inactivated")
    assert _status(p) == Status.FIRST_DOSE
    d2 = doses.record_dose(admin, p, number=2, given_on=day + datetime.timedelta(days=28), vaccine_type="inactivated")
    assert _status(p) == Status.FULL
    d3 = doses.record_dose(admin, p, number=3, given_on=day + datetime.timedelta(days=200), vaccine_type="inactivated")
    assert _status(p) == Status.BOOSTED
    doses.void_dose(admin, d3, "录入错误")
    assert _status(p) == Status.FULL
    doses.void_dose(admin, d2, "录入错误")
    assert _status(p) == Status.FIRST_DOSE
    # A corrected vaccine type: one adenovirus-vector dose completes the series.
    d1.refresh_from_db()
    doses.update_dose(admin, d1, d1.version, vaccine_type="adenovirus")
    assert _status(p) == Status.FULL
    doses.update_dose(admin, d1, d1.version, vaccine_type="recombinant")
    assert _status(p) == Status.FIRST_DOSE
    doses.void_dose(admin, d1, "重复录入")
    assert _status(p) == Status.UNVACCINATED
    # The voided number can be entered again; an active duplicate cannot.
    doses.record_dose(admin, p, number=1, given_on=day, vaccine_type="adenovirus")
    assert _status(p) == Status.FULL
    assert Dose.objects.filter(resident=p).count() == 4


def _direct(people, as_of):
    """Count from the rows themselves, without the coverage module."""
    out = {"population": 0, "first": 0, "full": 0, "boosted": 0, "contraindicated": 0}
    series = {"inactivated": 2, "adenovirus": 1, "recombinant": 3}
    for p in people:
        if p.status != "living" or p.merged_into_id or band_of(p.birth_date, as_of) == "":
            continue
        active = sorted(Dose.objects.filter(resident=p, voided_at__isnull=True), key=lambda d: d.number)
        need = series[active[0].vaccine_type] if active else 99
        latest = p.census_answers.order_by("-asked_on", "-id").first()
        out["population"] += 1
        out["first"] += bool(active)
        out["full"] += len(active) >= need
        out["boosted"] += len(active) > need
        out["contraindicated"] += len(active) < need and bool(latest and latest.reason == Reason.PERMANENT)
    return out


def _as_dict(row):
    return {k: getattr(row, k) for k in ("population", "first", "full", "boosted", "contraindicated")}


def test_coverage_equals_a_direct_count(town):
    admin = town.users["admin"]
    residents = town.world.residents
    day = datetime.date(2021, 6, 1)
    plan = {"linquan1": ("inactivated", 3), "linquan2": ("inactivated", 1), "beihong2": ("adenovirus", 1),
            "alone": ("recombinant", 2)}
    people = {**residents, **town.people}
    for key, (vaccine, count) in plan.items():
        for n in range(1, count + 1):
            doses.record_dose(admin, people[key], number=n, given_on=day + datetime.timedelta(days=40 * n),
                              vaccine_type=vaccine)
    census.record_answer(admin, residents["beihong1"], reason=Reason.PERMANENT, contraindication="allergy",
                         asked_on=datetime.date(2022, 4, 1))
    census.record_answer(admin, town.people["bedridden"], reason=Reason.TEMPORARY, contraindication="acute",
                         until=datetime.date(2022, 4, 20), asked_on=datetime.date(2022, 4, 2))
    everyone = list(Resident.objects.all())
    total = coverage.total(admin, AS_OF)
    assert _as_dict(total) == _direct(everyone, AS_OF)
    assert total.population == 6 and total.eligible == 5
    assert total.full_rate == round(100 * total.full / 6, 1)
    assert total.full_rate_eligible == round(100 * total.full / 5, 1)
    # 王芳 has a current answer (permanent); 吴德福's temporary contraindication expired on 04-20.
    assert total.census == 1 and total.not_full == 4
    for row in coverage.by_neighbourhood(admin, AS_OF):
        assert _as_dict(row) == _direct([p for p in everyone if p.grid.parent_id == int(row.key)], AS_OF), row
    for row in coverage.by_compound(admin, AS_OF):
        assert _as_dict(row) == _direct([p for p in everyone if p.compound_id == int(row.key)], AS_OF), row
    for row in coverage.by_band(admin, AS_OF):
        assert _as_dict(row) == _direct([p for p in everyone if band_of(p.birth_date, AS_OF) == row.key], AS_OF)
    signed, unsigned = coverage.by_contract(admin, AS_OF, ("s", "u"))
    assert _as_dict(signed) == _direct([p for p in everyone if p.family_doctor_id], AS_OF)
    assert _as_dict(unsigned) == _direct([p for p in everyone if not p.family_doctor_id], AS_OF)
    # Key compounds first: the lowest full rate leads.
    rates = [r.full_rate for r in coverage.by_compound(admin, AS_OF)]
    assert rates == sorted(rates)
    # Over time: every active dose of the register counted once, in its month.
    months = coverage.over_time(admin, AS_OF)
    assert sum(m["total"] for m in months) == Dose.objects.count() == 7
    assert months[-1]["people_started"] == total.first
    # A grid worker's figures are the same count over their grid only.
    gw = coverage.total(town.users["gridworker"], AS_OF)
    assert _as_dict(gw) == _direct([p for p in everyone if p.grid_id == town.world.grids["linquan1"].pk], AS_OF)


def test_register_takes_the_reference_date(town, settings):
    admin = town.users["admin"]
    from wangge.vaccination.services.status import reference_date, register

    # 王芳 (born 1960-11-22) joins the register on her 60th birthday.
    assert register(admin, datetime.date(2020, 11, 21)).filter(name="王芳").count() == 0
    assert register(admin, datetime.date(2020, 11, 22)).filter(name="王芳").count() == 1
    settings.VACCINATION_REFERENCE_DATE = "2022-05-01"
    assert reference_date() == AS_OF and reference_date("2021-01-02") == datetime.date(2021, 1, 2)
