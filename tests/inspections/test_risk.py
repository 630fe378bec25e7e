"""Issue #14: the risk score and its reasons, planning by risk, venue-code scan flags, the
escalation ladder, risk-weighted look-back sampling, figures."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import get_kind
from wangge.inspections import risk, services
from wangge.inspections.choices import Shift, TaskReason
from wangge.inspections.lookback import select_lookback
from wangge.inspections.models import LadderEntry, RiskScore, ScanCompliance, Task, VenueScan
from wangge.inspections.planning import plan_campaign
from wangge.places.models import Premises, PremisesCategory

from .helpers import COMPLIANT, campaign, checklists, photo

TODAY = timezone.localdate()


def restaurant(world, name, number, **extra) -> Premises:
    p = Premises(name=name, category=PremisesCategory.objects.get(code="restaurant"), address=f"仙霞西路{number}号",
                 grid=world.grids["linquan1"], segment=world.segments["xianxia"], opens_at=datetime.time(9),
                 closes_at=datetime.time(17), **extra)
    p.save()
    return p


def inspect_once(world, premises, answers, outcome="fixed", **kw):
    kw.setdefault("fixed_description", "当场整改")
    return services.submit_inspection(world.users["inspector"], client_id=uuid.uuid4(), premises=premises,
                                      answers=answers, outcome=outcome, inspectors=[world.users["officer"]], **kw)


def test_reasons_add_up_to_the_score(world):
    checklists()
    ktv = world.premises["beihong2"]  # entertainment, open only at night
    inspect_once(world, ktv, dict(COMPLIANT, disinfection="no", no_unpermitted_opening="yes"))
    inspect_once(world, ktv, dict(COMPLIANT, disinfection="no", staff_tested="2"))
    inspect_once(world, ktv, dict(COMPLIANT, disinfection="no"), outcome="rectification",
                 rectification_items="补建台账", deadline=TODAY + datetime.timedelta(days=2), fixed_description="")
    stored = RiskScore.objects.get(premises=ktv)
    assert stored.score == sum(r["points"] for r in stored.reasons) > 0
    codes = [r["code"] for r in stored.reasons]
    assert {"category", "night", "violations", "repeat", "open_rectification"} <= set(codes)
    violations = next(r for r in stored.reasons if r["code"] == "violations" and "消杀" in r["params"]["item"])
    assert violations["params"]["n"] == 3 and violations["points"] == 30  # major: 10 each, within 30 days
    repeat = next(r for r in stored.reasons if r["code"] == "repeat")
    assert repeat["points"] == 20  # found twice more
    texts = [text for text, _points in stored.explained]
    assert any("消杀" in t for t in texts)
    # An overdue rectification adds its own reason once the deadline has passed.
    later = risk.compute([ktv.pk], TODAY + datetime.timedelta(days=5))[ktv.pk]
    assert later[0] == sum(r["points"] for r in later[1]) and "overdue_rectification" in {r["code"] for r in later[1]}


def test_the_planner_visits_the_premises_with_a_prior_violation_first(world):
    checklists()
    clean = restaurant(world, "甲面馆", 11)
    risky = restaurant(world, "乙面馆", 13)  # the same but for one prior violation
    inspect_once(world, risky, dict(COMPLIANT, staff_protection="no"), photos=[("staff_protection", photo())])
    c = campaign(world, days=3, plan=False)
    c.categories.set(PremisesCategory.objects.filter(code="restaurant"))
    c.teams.filter(shift=Shift.NIGHT).delete()
    plan_campaign(world.users["admin"], c)
    first, second = (Task.objects.get(campaign=c, premises=p) for p in (risky, clean))
    assert first.risk > second.risk
    assert first.planned_on < second.planned_on  # riskiest first


def _scan_file(rows) -> bytes:
    return ("场所码编号,日期,扫码次数\n" + "\n".join(",".join(map(str, r)) for r in rows)).encode()


def _peers(world, n=4):
    out = []
    for i in range(n):
        out.append(restaurant(world, f"同行{i}", 21 + 2 * i, venue_code_number=f"CSM{i:04d}",
                              venue_code_status="posted", staff_count=5))
    return out


def test_posted_but_not_scanned_is_flagged_and_unflagged(world):
    peers = _peers(world)
    admin = world.users["admin"]
    days = [TODAY - datetime.timedelta(days=n) for n in range(5)]
    rows = [(p.venue_code_number, d, 60) for p in peers[:3] for d in days]
    rows += [(peers[3].venue_code_number, d, 2) for d in days]
    result = run_import(get_kind("venue-scans"), _scan_file(rows), "scans.csv", admin)
    assert not result.errors and result.created == 20
    compliance = ScanCompliance.objects.get(premises=peers[3])
    assert compliance.flagged and compliance.expected == 60 and "3" in compliance.explanation
    assert not ScanCompliance.objects.get(premises=peers[0]).flagged
    score = RiskScore.objects.get(premises=peers[3])
    assert "scans" in {r["code"] for r in score.reasons}
    # Flagged places join the next round's tasks, with the reason, even outside its categories.
    c = campaign(world, plan=False)
    c.categories.set(PremisesCategory.objects.filter(code="hotel"))
    plan_campaign(admin, c)
    task = Task.objects.get(campaign=c, premises=peers[3])
    assert task.reason == TaskReason.SCAN_FLAG and task.note
    # It recovers: three good days lift the flag.
    better = [(peers[3].venue_code_number, d, 55) for d in days[:3]]
    again = run_import(get_kind("venue-scans"), _scan_file(better), "scans.csv", admin)
    assert again.updated == 3 and not again.errors
    assert not ScanCompliance.objects.get(premises=peers[3]).flagged
    assert "scans" not in {r["code"] for r in RiskScore.objects.get(premises=peers[3]).reasons}
    # The same file again changes nothing.
    assert run_import(get_kind("venue-scans"), _scan_file(better), "scans.csv", admin).unchanged == 3


def test_a_bad_scan_file_changes_nothing_and_names_row_and_column(world):
    peers = _peers(world, 1)
    bad = _scan_file([(peers[0].venue_code_number, TODAY, 10), (peers[0].venue_code_number, "昨天", "many")])
    result = run_import(get_kind("venue-scans"), bad, "scans.csv", world.users["admin"])
    assert {(e.row, e.column) for e in result.errors} == {(3, "B"), (3, "C")}
    assert VenueScan.objects.count() == 0


def test_a_repeated_problem_proposes_the_next_step_and_never_skips_silently(world):
    checklists()
    shop = restaurant(world, "丙面馆", 15)
    violated = dict(COMPLIANT, disinfection="no")
    first, _ = inspect_once(world, shop, violated)
    assert list(LadderEntry.objects.filter(inspection=first).values_list("step", "proposed")) == [
        ("reminder", "reminder")]
    second, _ = inspect_once(world, shop, violated)
    assert LadderEntry.objects.get(inspection=second).step == "verbal_warning"
    with pytest.raises(ValidationError) as excinfo:  # jumping a rung needs a reason
        inspect_once(world, shop, violated, ladder={"disinfection": {"step": "reminder"}})
    assert "ladder.disinfection" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:  # suspension is a decision, not a word
        inspect_once(world, shop, violated, ladder={"disinfection": {"step": "suspension", "reason": "拒不整改"}})
    assert "ladder.disinfection" in excinfo.value.message_dict
    third, _ = inspect_once(world, shop, violated, outcome="rectification", suspend=True, fixed_description="",
                            rectification_items="补做消毒记录", deadline=TODAY + datetime.timedelta(days=3))
    entry = LadderEntry.objects.get(inspection=third)
    assert (entry.step, entry.proposed, entry.reason) == ("suspension", "interview", "补做消毒记录")
    shop.refresh_from_db()
    assert shop.status == "suspended"
    compliant, _ = inspect_once(world, shop, dict(COMPLIANT), outcome="compliant", fixed_description="")
    assert not LadderEntry.objects.filter(inspection=compliant).exists()


def test_lookback_sampling_favours_risk_and_is_reproducible(world):
    c = campaign(world, plan=False)
    places = [restaurant(world, f"店{i}", 31 + 2 * i) for i in range(10)]
    for p in places:
        Task.objects.create(campaign=c, premises=p, shift=Shift.DAY, state="done")
    RiskScore.objects.bulk_create([RiskScore(premises=p, score=60 if i == 0 else 0, reasons=[])
                                   for i, p in enumerate(places)])
    draws = [{pid for pid, reason in select_lookback(c, 20, seed) if reason == TaskReason.SAMPLED}
             for seed in range(300)]
    assert all(len(d) == 2 for d in draws)
    risky_share = sum(places[0].pk in d for d in draws) / len(draws)
    assert risky_share > 0.5  # an even draw would give 0.2
    assert draws[:5] == [{pid for pid, r in select_lookback(c, 20, seed) if r == TaskReason.SAMPLED}
                         for seed in range(5)]


def test_risk_pages_api_and_map(world, client, login):
    checklists()
    inspect_once(world, world.premises["linquan1"], dict(COMPLIANT, disinfection="no"))
    risk.refresh_all()
    page = login(world.users["leader"]).get("/inspections/risk/")
    assert page.status_code == 200 and world.premises["linquan1"].name in page.content.decode()
    detail = login(world.users["leader"]).get(f"/premises/{world.premises['linquan1'].pk}/").content.decode()
    assert "premises-risk" in detail
    headers = {"Authorization": f"Bearer {world.token('leader')}"}
    one = client.get(f"/api/v1/risk/premises/{world.premises['linquan1'].pk}", headers=headers).json()
    assert one["score"] == sum(r["points"] for r in one["reasons"]) and all(r["text"] for r in one["reasons"])
    figures = client.get("/api/v1/risk/figures", headers=headers).json()
    assert sum(b["count"] for b in figures["bands"]) == 4
    assert {s["step"]: s["count"] for s in figures["ladder_steps"]}["reminder"] == 1
    # The premises map by risk: each dot carries its premises' stored band (none scored: low).
    for n, premises in enumerate(world.premises.values()):
        premises.latitude, premises.longitude = 31.215, 121.365 + 0.01 * n
        premises.save()
    points = login(world.users["leader"]).get("/maps/layers.json?colour=risk").json()["premises"]["points"]
    bands = dict(RiskScore.objects.values_list("premises_id", "band"))
    everyone = Premises.objects.values_list("pk", flat=True)
    assert {p[5]: p[4] for p in points} == {pk: bands.get(pk, "low") for pk in everyone}
    assert {p[4] for p in points} != {"low"}  # the scored premises is not low
    # Out of scope: the grid worker does not see the other neighbourhood's KTV score.
    gw = {"Authorization": f"Bearer {world.token('gridworker')}"}
    assert client.get(f"/api/v1/risk/premises/{world.premises['beihong2'].pk}", headers=gw).status_code == 404
    assert client.get("/api/v1/risk", headers={"Authorization": f"Bearer {world.token('doctor')}"}).status_code == 403


def test_the_daily_job_scores_every_premises(world):
    from django.core.management import call_command

    assert not RiskScore.objects.exists()
    call_command("risk")
    assert RiskScore.objects.count() == Premises.objects.count() == 4
    ktv = RiskScore.objects.get(premises=world.premises["beihong2"])
    assert ktv.score == 30 and ktv.band == "medium"  # entertainment 20 + night only 10
