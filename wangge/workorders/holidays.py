"""The official working-day calendar (法定节假日与调休) from the maintained `chinesecalendar` package.

`seed_year(year)` writes the year's public holidays (days off) and make-up working days (weekend days
worked) as `Holiday` rows marked official. Local rows (typed in the admin, or official rows changed
there) are never overwritten or deleted; official rows are refreshed to the package's data, so running
it again changes nothing. The package knows the years the State Council has published (it raises
NotImplementedError for others): such a year is refused with one clear line.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core import audit
from wangge.core.roles import Perm
from wangge.core.services import require

from .choices import HolidaySource
from .models import Holiday

# The package names holidays in English (its `Holiday` enum values); the calendar shows them in Chinese.
CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
MAKE_UP_SUFFIX = "调休上班"


@dataclass
class SeedResult:
    year: int
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_local: int = 0
    removed: int = 0

    def summary(self) -> str:
        return _("%(year)s calendar: %(added)s days added, %(updated)s updated, %(unchanged)s unchanged, "
                 "%(kept)s local settings kept, %(removed)s withdrawn.") % {
            "year": self.year, "added": self.added, "updated": self.updated, "unchanged": self.unchanged,
            "kept": self.kept_local, "removed": self.removed}


def _name(english: str | None, working: bool) -> str:
    name = CHINESE_NAMES.get(english or "", english or "")
    return f"{name}{MAKE_UP_SUFFIX}" if working else name


def official_days(year: int) -> dict[datetime.date, tuple[bool, str]]:
    """{date: (is_working_day, Chinese name)} for the year, from the package; ValidationError for a year
    the package has no data for."""
    import chinese_calendar
    from chinese_calendar import constants

    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))  # raises for a year it does not know
    except NotImplementedError:
        raise ValidationError(
            _("No official calendar for %(year)s in the chinesecalendar package (it knows the years the State "
              "Council has published; upgrade the package once the year is announced).") % {"year": year},
            code="unknown_year") from None
    days = {d: (False, _name(getattr(n, "value", n), False)) for d, n in constants.holidays.items() if d.year == year}
    days.update({d: (True, _name(getattr(n, "value", n), True)) for d, n in constants.workdays.items()
                 if d.year == year})
    return days


def known_years() -> range:
    from chinese_calendar import constants

    years = {d.year for d in constants.holidays}
    return range(min(years), max(years) + 1)


def seed_year(year: int, actor=None) -> SeedResult:
    """Write the year's official rows; local rows stay as they are. `actor` (optional) needs the right to
    manage the town's settings and is named in the audit trail."""
    if actor is not None:
        require(actor, Perm.MANAGE_STAFF)
    days = official_days(year)
    result = SeedResult(year)
    with audit.audit_context(actor=actor, request_id=f"holidays-{year}"), transaction.atomic():
        existing = {h.date: h for h in Holiday.objects.select_for_update()
                    .filter(date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31))}
        for day, (working, name) in sorted(days.items()):
            row = existing.get(day)
            if row is None:
                Holiday.objects.create(date=day, is_working_day=working, name=name, source=HolidaySource.OFFICIAL)
                result.added += 1
            elif row.source == HolidaySource.LOCAL:
                result.kept_local += 1
            elif (row.is_working_day, row.name) != (working, name):
                row.is_working_day, row.name = working, name
                row.version += 1
                row.save()
                result.updated += 1
            else:
                result.unchanged += 1
        for day, row in existing.items():  # official rows the package no longer lists (a corrected year)
            if day not in days and row.source == HolidaySource.OFFICIAL:
                row.delete()
                result.removed += 1
    return result


def missing_year(today: datetime.date | None = None) -> int | None:
    """Next year when it has no official calendar rows yet (deadlines would then count its public holidays
    as working days), else None."""
    year = (today or timezone.localdate()).year + 1
    has_rows = Holiday.objects.filter(source=HolidaySource.OFFICIAL, date__year=year).exists()
    return None if has_rows else year


def seed_demo_years(today: datetime.date | None = None) -> list[SeedResult]:
    """The demo town's calendar: 2022 (its campaign's year), this year and next when the package knows them."""
    year = (today or timezone.localdate()).year
    known = known_years()
    return [seed_year(y) for y in sorted({2022, year, year + 1}) if y in known]
