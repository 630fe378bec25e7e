"""Demo of the elderly vaccination drive (idempotent: skipped when doses exist).

Two points; doses for the demo's 60+ residents with realistic gaps between compounds (most around 90%
fully vaccinated, a few key compounds around 60%); census answers for most of those not fully
vaccinated; contacts and appointments (some tomorrow, so the reminders job has work); a few past
visits with follow-ups, one overdue. The demo family doctor serves Linquan: some of its elders sign
with them, the rest are the unsigned of the doctor's neighbourhood.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from wangge.community.choices import ResidentStatus
from wangge.community.models import Compound, Resident
from wangge.core.audit import audit_context, current
from wangge.core.demo import LINQUAN
from wangge.core.models import Area, Department, User

from .choices import ContactMethod, ContactResult, Contraindication, Reason, VaccineType, Willingness
from .models import Dose, FollowUp, VaccinationPoint, Visit
from .services import census, day, outreach
from .services.status import born_by, recompute

KEY_SHARE = 0.6  # key compounds: about 60% fully vaccinated
USUAL_SHARE = 0.9
REASONS = [(Reason.HESITANT, 0.3), (Reason.PERMANENT, 0.1), (Reason.TEMPORARY, 0.1), (Reason.BEDRIDDEN, 0.1),
           (Reason.REFUSES, 0.1), (Reason.AWAY, 0.1), (Reason.UNREACHABLE, 0.05), (Reason.GONE, 0.05)]


def load(context: dict) -> None:
    admin = User.objects.get(username="admin")
    with audit_context(actor=admin, request_id=current().request_id or None):
        _serve_linquan()
        if Dose.objects.exists():
            return
        with transaction.atomic():
            _load(admin, random.Random(1960))


def _serve_linquan() -> None:
    doctor = User.objects.filter(username="doctor").first()
    linquan = Area.objects.filter(code=LINQUAN).first()
    if doctor is not None and linquan is not None and not doctor.areas.exists():
        doctor.areas.add(linquan)


def _points(admin) -> list[VaccinationPoint]:
    centre = Department.objects.filter(code="SQWS").first()
    made = []
    for name, address, code in (("新泾镇社区卫生服务中心接种点", "哈密路1号", LINQUAN + "001"),
                                ("林泉临时接种点", "林泉路100号", LINQUAN + "002")):
        point = VaccinationPoint.objects.filter(name=name).first()
        grid = Area.objects.filter(code=code).first() or Area.objects.filter(level="grid").first()
        made.append(point or day.save_point(admin, VaccinationPoint(name=name, address=address, grid=grid,
                                                                    health_centre=centre)))
    return made


def _give(rid, number, when, vaccine, point, source="imported"):
    return Dose(resident_id=rid, number=number, given_on=when, vaccine_type=vaccine, point=point, site=point.name,
                batch=f"2022{number:02d}{rid % 97:03d}", source=source)


def _load(admin, rng: random.Random) -> None:
    today = timezone.localdate()
    points = _points(admin)
    doctor = User.objects.filter(username="doctor").first()
    compounds = list(Compound.objects.order_by("pk"))
    key = {c.pk for c in compounds[2::5]}  # every fifth compound lags behind
    elders = list(Resident.objects.filter(status=ResidentStatus.LIVING, birth_date__lte=born_by(today))
                  .select_related("grid").defer("id_number", "phone"))
    linquan = Area.objects.filter(code=LINQUAN).first()
    if doctor is not None and linquan is not None:
        signed = [e.pk for e in elders if e.grid.path.startswith(linquan.path) and rng.random() < 0.5]
        Resident.objects.filter(pk__in=signed, family_doctor__isnull=True).update(
            family_doctor=doctor, doctor_signed_on=datetime.date(2021, 9, 1))
    new, behind = [], []
    start = datetime.date(2021, 4, 1)
    for e in elders:
        share = KEY_SHARE if e.compound_id in key else USUAL_SHARE
        roll = rng.random()
        first = start + datetime.timedelta(days=rng.randrange(0, 300))
        vaccine = rng.choices([VaccineType.INACTIVATED, VaccineType.ADENOVIRUS, VaccineType.RECOMBINANT],
                              [0.85, 0.1, 0.05])[0]
        series = {VaccineType.INACTIVATED: 2, VaccineType.ADENOVIRUS: 1, VaccineType.RECOMBINANT: 3}[vaccine]
        point = points[rng.randrange(len(points))]
        if roll < share:
            count = series + (1 if rng.random() < 0.55 else 0)
        elif roll < share + 0.05:
            count = max(series - 1, 1) if series > 1 else 0
        else:
            count = 0
        for n in range(1, count + 1):
            when = first + datetime.timedelta(days=(n - 1) * (30 if n <= series else 150))
            if when < today:
                new.append(_give(e.pk, n, when, vaccine, point))
        if count < series:
            behind.append(e)
    Dose.objects.bulk_create(new, batch_size=500)
    recompute([e.pk for e in elders])
    _census_and_outreach(admin, rng, behind, points, today)


def _census_and_outreach(admin, rng, behind, points, today) -> None:
    for n, e in enumerate(behind):
        if rng.random() < 0.8:
            reason = rng.choices([r for r, _w in REASONS], [w for _r, w in REASONS])[0]
            health = reason in (Reason.PERMANENT, Reason.TEMPORARY)
            asked = today - datetime.timedelta(days=rng.randrange(1, 20))
            # Some temporary contraindications have already expired: those people count as not yet asked.
            census.record_answer(
                admin, e, reason=reason,
                willingness=Willingness.UNWILLING if reason == Reason.REFUSES else rng.choice(Willingness.values),
                contraindication=rng.choice(Contraindication.values) if health else "",
                until=asked + datetime.timedelta(days=rng.choice((1, 45, 75))) if reason == Reason.TEMPORARY else None,
                asked_on=asked)
        if n % 4 == 0:
            outreach.record_contact(admin, e, method=rng.choice(ContactMethod.values),
                                    result=rng.choice(ContactResult.values),
                                    contacted_on=today - datetime.timedelta(days=rng.randrange(0, 10)))
        if n % 6 == 0:
            outreach.book(admin, e, point=points[n % len(points)],
                          date=today + datetime.timedelta(days=1 + (n // 6) % 3),
                          at_home=outreach.may_be_served_at_home(e))
    # Past visits: two from eight days ago (one followed up, one overdue) and one from today.
    for n, e in enumerate(behind[1:4]):
        moment = timezone.now() - datetime.timedelta(days=8 if n < 2 else 0, hours=1)
        visit = day.check_in(admin, points[0], e, now=moment)
        visit = day.vaccinate(admin, visit, vaccine_type=VaccineType.INACTIVATED, batch="202205A",
                              now=moment + datetime.timedelta(minutes=5))
        if n < 2:
            day.release(admin, visit, now=moment + datetime.timedelta(minutes=40))
    done = Visit.objects.filter(released_at__isnull=False).order_by("pk").first()
    if done is not None:
        follow = FollowUp.objects.filter(visit=done).first()
        if follow is not None:
            day.record_follow_up(admin, follow, result="well", on=today - datetime.timedelta(days=1))
