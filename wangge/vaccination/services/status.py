"""The status of a person, derived from their doses; the 60+ register at a reference date.

Status rules (docs/VACCINATION.md): the vaccine type of the first dose fixes the primary series (2 doses
inactivated, 1 adenovirus vector, 3 recombinant protein). No dose: unvaccinated; fewer doses than the
series: started; exactly the series: fully vaccinated; more: boosted. Voided doses do not count, so a
correction moves the status down as well as up.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.community.choices import ResidentStatus
from wangge.community.models import Resident

from ..choices import PRIMARY_DOSES, AgeBand, Reason, Status, VaccineType
from ..models import CensusAnswer, Dose, Elder, VaccinationStatus

AGED_FROM = 60


def derive(doses: list[Dose]) -> dict:
    """The status fields from a person's active doses (in number order)."""
    doses = sorted(doses, key=lambda d: (d.number, d.given_on))
    if not doses:
        return {"status": Status.UNVACCINATED, "doses": 0, "vaccine_type": "", "first_on": None, "full_on": None,
                "boosted_on": None}
    series = PRIMARY_DOSES.get(doses[0].vaccine_type, 2)
    count = len(doses)
    status = Status.FIRST_DOSE if count < series else Status.FULL if count == series else Status.BOOSTED
    return {"status": status, "doses": count, "vaccine_type": doses[0].vaccine_type, "first_on": doses[0].given_on,
            "full_on": doses[series - 1].given_on if count >= series else None,
            "boosted_on": doses[series].given_on if count > series else None}


# The schedule (DOMAIN.md): the primary series' doses ≥ 3 weeks apart (inactivated) or ≥ 4 weeks
# (recombinant protein); a booster ≥ 3 months after the series; a second booster ≥ 6 months after that.
SERIES_INTERVAL_DAYS = {VaccineType.INACTIVATED: 21, VaccineType.RECOMBINANT: 28}
BOOSTER_AFTER_DAYS = 90
SECOND_BOOSTER_AFTER_DAYS = 180


def earliest_next(doses: list[Dose]) -> datetime.date | None:
    """The first day the next dose may be given after these active doses (None: no dose yet)."""
    if not doses:
        return None
    doses = sorted(doses, key=lambda d: (d.number, d.given_on))
    series = PRIMARY_DOSES.get(doses[0].vaccine_type, 2)
    if len(doses) < series:
        days = SERIES_INTERVAL_DAYS.get(doses[0].vaccine_type, 21)
    elif len(doses) == series:
        days = BOOSTER_AFTER_DAYS
    else:
        days = SECOND_BOOSTER_AFTER_DAYS
    return doses[-1].given_on + datetime.timedelta(days=days)


def recompute(resident_ids) -> None:
    """Rewrite the status rows of these residents from their doses and latest census answers."""
    ids = sorted(set(resident_ids))
    # Lock the residents (PostgreSQL) so two changes to one person's doses recompute one after the other.
    list(Resident._base_manager.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    doses: dict[int, list[Dose]] = {i: [] for i in ids}
    for dose in Dose.objects.filter(resident_id__in=ids, voided_at__isnull=True):
        doses[dose.resident_id].append(dose)
    latest: dict[int, CensusAnswer] = {}
    for answer in CensusAnswer.objects.filter(resident_id__in=ids).order_by("resident_id", "-asked_on", "-id"):
        latest.setdefault(answer.resident_id, answer)
    existing = {s.resident_id: s for s in VaccinationStatus.objects.filter(resident_id__in=ids)}
    new, changed = [], []
    for rid in ids:
        fields = derive(doses[rid])
        answer = latest.get(rid)
        fields["census_id"] = answer.pk if answer else None
        fields["contraindicated"] = bool(answer and answer.reason == Reason.PERMANENT)
        row = existing.get(rid)
        if row is None:
            new.append(VaccinationStatus(resident_id=rid, **fields))
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            changed.append(row)
    VaccinationStatus.objects.bulk_create(new, batch_size=500)
    VaccinationStatus.objects.bulk_update(changed, [*derive([]).keys(), "census_id", "contraindicated"],
                                          batch_size=500)


def status_of(resident) -> str:
    row = VaccinationStatus.objects.filter(resident_id=resident.pk).first()
    return row.status if row else Status.UNVACCINATED


# --- the 60+ register ------------------------------------------------------------------------------

def reference_date(text: str | None = None) -> datetime.date:
    """`?as_of=` when given (a bad one is a field error), else settings.VACCINATION_REFERENCE_DATE, else today."""
    if text:
        try:
            return datetime.date.fromisoformat(text.strip())
        except ValueError as exc:
            raise ValidationError({"as_of": _("Enter a date such as 2022-05-01.")}) from exc
    configured = getattr(settings, "VACCINATION_REFERENCE_DATE", None)
    if configured:
        return configured if isinstance(configured, datetime.date) else datetime.date.fromisoformat(str(configured))
    return timezone.localdate()


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def on_register(people, as_of: datetime.date | None = None):
    """Only people aged 60 or more at the reference date: what the register's detail may show."""
    return people.filter(birth_date__lte=born_by(as_of or reference_date()))


def born_by(as_of: datetime.date, years: int = AGED_FROM) -> datetime.date:
    """People born on or before this day are at least `years` old on `as_of`."""
    return years_before(as_of, years)


BANDS = {AgeBand.B60: (60, 70), AgeBand.B70: (70, 80), AgeBand.B80: (80, None)}


def band_filter(band: str, as_of: datetime.date) -> Q:
    low, high = BANDS[band]
    q = Q(birth_date__lte=born_by(as_of, low))
    if high:
        q &= Q(birth_date__gt=born_by(as_of, high))
    return q


def band_of(birth_date: datetime.date, as_of: datetime.date) -> str:
    for band in (AgeBand.B80, AgeBand.B70, AgeBand.B60):
        if birth_date <= born_by(as_of, BANDS[band][0]):
            return band
    return ""


def register(user, as_of: datetime.date):
    """The living residents aged 60 or more on `as_of` that the user may see through the vaccination rule."""
    return Elder.objects.visible_to(user).filter(status=ResidentStatus.LIVING, merged_into__isnull=True,
                                                 birth_date__lte=born_by(as_of))


def status_q(status: str) -> Q:
    """Residents without a status row are unvaccinated."""
    if status == Status.UNVACCINATED:
        return Q(vaccination__isnull=True) | Q(vaccination__status=Status.UNVACCINATED)
    return Q(vaccination__status=status)


def not_full_q() -> Q:
    return status_q(Status.UNVACCINATED) | status_q(Status.FIRST_DOSE)


def current_census_q(as_of: datetime.date) -> Q:
    """A census answer that still holds: any but a temporary contraindication that has expired."""
    return Q(vaccination__census__isnull=False) & ~Q(vaccination__census__reason=Reason.TEMPORARY,
                                                     vaccination__census__until__lt=as_of)
