"""Throughput and staffing figures for the staff page, computed from the shift rows in one query."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max

from .choices import ShiftName
from .models import SiteShift

SHIFT_ORDER = list(ShiftName.values)


@dataclass
class SiteDay:
    samples: int = 0
    staff: int = 0
    volunteers: int = 0
    shifts: list = field(default_factory=list)  # SiteShift rows of the day, morning first


@dataclass
class Week:
    dates: list[datetime.date]
    by_site: dict[int, list[int]]  # site id -> samples per date
    totals: list[int]


def latest_date_with_figures(sites, not_after: datetime.date) -> datetime.date | None:
    return SiteShift.objects.filter(site__in=sites, date__lte=not_after).aggregate(latest=Max("date"))["latest"]


def day_and_week(sites, day: datetime.date) -> tuple[dict[int, SiteDay], Week]:
    """Per site: the day's shifts and totals; and the seven days ending on `day`."""
    dates = [day - datetime.timedelta(days=n) for n in range(6, -1, -1)]
    rows = SiteShift.objects.filter(site__in=sites, date__range=(dates[0], day)).only(
        "site_id", "date", "shift", "samples", "staff_count", "volunteer_count")
    today: dict[int, SiteDay] = {}
    by_site: dict[int, list[int]] = {}
    index = {d: n for n, d in enumerate(dates)}
    for row in rows:
        by_site.setdefault(row.site_id, [0] * 7)[index[row.date]] += row.samples
        if row.date == day:
            figures = today.setdefault(row.site_id, SiteDay())
            figures.samples += row.samples
            figures.staff += row.staff_count
            figures.volunteers += row.volunteer_count
            figures.shifts.append(row)
    for figures in today.values():
        figures.shifts.sort(key=lambda r: SHIFT_ORDER.index(r.shift))
    totals = [sum(values[n] for values in by_site.values()) for n in range(7)]
    return today, Week(dates, by_site, totals)
