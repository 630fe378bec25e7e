"""Coverage (接种率) of the 60+ register, always with its denominator named (DOMAIN.md):

- population: everyone on the register (living, aged 60+ on the reference date, in the user's scope);
- eligible: the population minus those not fully vaccinated whose latest census answer is a permanent
  contraindication.

Rates per dose: first dose (at least one dose), full (series complete, boosted included), booster.
Census progress (底数清、情况明) = not fully vaccinated with a current census answer ÷ not fully vaccinated.
Every figure is one aggregate query over the same register the list pages filter, so each links to a
list of exactly that many people.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from ..choices import AgeBand, Status
from ..models import Dose
from .status import band_filter, current_census_q, not_full_q, register

AT_LEAST_FIRST = (Status.FIRST_DOSE, Status.FULL, Status.BOOSTED)
AT_LEAST_FULL = (Status.FULL, Status.BOOSTED)


@dataclass
class Row:
    key: str
    label: str
    population: int = 0
    first: int = 0
    full: int = 0
    boosted: int = 0
    contraindicated: int = 0
    census: int = 0
    params: dict | None = None  # the register's filters for this row

    @property
    def eligible(self) -> int:
        return self.population - self.contraindicated

    @property
    def not_full(self) -> int:
        return self.population - self.full

    @property
    def unvaccinated(self) -> int:
        return self.population - self.first

    @staticmethod
    def pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def full_rate(self):
        return self.pct(self.full, self.population)

    @property
    def full_rate_eligible(self):
        return self.pct(self.full, self.eligible)

    @property
    def first_rate(self):
        return self.pct(self.first, self.population)

    @property
    def first_rate_eligible(self):
        return self.pct(self.first, self.eligible)

    @property
    def boosted_rate(self):
        return self.pct(self.boosted, self.population)

    @property
    def boosted_rate_eligible(self):
        return self.pct(self.boosted, self.eligible)

    @property
    def census_rate(self):
        return self.pct(self.census, self.not_full)


def _aggregates(as_of: datetime.date) -> dict:
    return {
        "population": Count("pk"),
        "first": Count("pk", filter=Q(vaccination__status__in=AT_LEAST_FIRST)),
        "full": Count("pk", filter=Q(vaccination__status__in=AT_LEAST_FULL)),
        "boosted": Count("pk", filter=Q(vaccination__status=Status.BOOSTED)),
        "contraindicated": Count("pk", filter=Q(vaccination__contraindicated=True) & not_full_q()),
        "census": Count("pk", filter=not_full_q() & current_census_q(as_of)),
    }


def _row(key, label, data, params) -> Row:
    return Row(str(key), str(label), *(data[k] for k in ("population", "first", "full", "boosted",
                                                         "contraindicated", "census")), params=params)


def total(user, as_of: datetime.date, label: str = "") -> Row:
    return _row("total", label, register(user, as_of).aggregate(**_aggregates(as_of)), {})


def by_neighbourhood(user, as_of: datetime.date) -> list[Row]:
    rows = (register(user, as_of).values("grid__parent_id", "grid__parent__name").order_by("grid__parent__path")
            .annotate(**_aggregates(as_of)))
    return [_row(r["grid__parent_id"], r["grid__parent__name"], r, {"hood": r["grid__parent_id"]}) for r in rows]


def by_compound(user, as_of: datetime.date) -> list[Row]:
    """Key compounds first: lowest full coverage, then most not fully vaccinated. People living in no
    registered compound form one row at the end."""
    rows = (register(user, as_of).filter(compound__isnull=False).values("compound_id", "compound__name")
            .order_by("compound__name").annotate(**_aggregates(as_of)))
    found = [_row(r["compound_id"], r["compound__name"], r, {"compound": r["compound_id"]}) for r in rows]
    return sorted(found, key=lambda r: (r.full_rate if r.full_rate is not None else 101, -r.not_full, r.label))


def by_band(user, as_of: datetime.date) -> list[Row]:
    base = register(user, as_of)
    return [_row(band.value, band.label, base.filter(band_filter(band, as_of)).aggregate(**_aggregates(as_of)),
                 {"band": band.value}) for band in AgeBand]


def by_contract(user, as_of: datetime.date, labels: tuple[str, str]) -> list[Row]:
    """Signed with a family doctor versus not."""
    base = register(user, as_of)
    return [_row("signed", labels[0], base.filter(family_doctor__isnull=False).aggregate(**_aggregates(as_of)),
                 {"signed": "yes"}),
            _row("unsigned", labels[1], base.filter(family_doctor__isnull=True).aggregate(**_aggregates(as_of)),
                 {"signed": "no"})]


def over_time(user, as_of: datetime.date) -> list[dict]:
    """Doses given to the people on the register, by month of the dose date and by dose number, with the
    running total of people who had a first dose by then."""
    people = register(user, as_of).values("pk")
    rows = (Dose.objects.filter(resident__in=people, voided_at__isnull=True, given_on__lte=as_of)
            .annotate(month=TruncMonth("given_on"))
            .values("month").order_by("month")
            .annotate(first=Count("pk", filter=Q(number=1)), second=Count("pk", filter=Q(number=2)),
                      later=Count("pk", filter=Q(number__gte=3)), total=Count("pk")))
    running = 0
    out = []
    for r in rows:
        running += r["first"]
        month = r["month"]
        out.append({"month": month.strftime("%Y-%m") if month else "", "first": r["first"], "second": r["second"],
                    "later": r["later"], "total": r["total"], "people_started": running})
    return out

