"""Working days: Monday to Friday, minus the Holiday rows that are days off, plus make-up working days."""

import datetime

from django.conf import settings

from .choices import Kind

# Default deadline per kind, in working days. A table in code (settings.WORKORDER_DEADLINE_DAYS may
# override any entry): it changes with policy, not with data, and every change then goes through review.
DEFAULT_DEADLINE_DAYS = {Kind.RECTIFICATION: 5, Kind.DEMAND: 10, Kind.RESIDENT_NEED: 5, Kind.INSTRUCTION: 10,
                         Kind.PUBLIC_REPORT: 5, Kind.OTHER: 10}


def deadline_days(kind: str) -> int:
    return {**DEFAULT_DEADLINE_DAYS, **getattr(settings, "WORKORDER_DEADLINE_DAYS", {})}[kind]


def _exceptions(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    from .models import Holiday

    return dict(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day"))


def is_working_day(day: datetime.date, exceptions: dict[datetime.date, bool]) -> bool:
    return exceptions.get(day, day.weekday() < 5)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself not counted)."""
    exceptions = _exceptions(start, start + datetime.timedelta(days=days * 3 + 30))
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, exceptions):
            days -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    exceptions = _exceptions(start, end)
    return sum(is_working_day(start + datetime.timedelta(days=n), exceptions) for n in range(1, (end - start).days + 1))
