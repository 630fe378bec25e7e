"""Open now, opens soon: pure functions over a site's weekly hours, its status and a moment.

Weekdays are Python's (0 = Monday). A period whose closing time is at or before its opening time
runs past midnight into the next day: Friday 20:00-02:00 keeps the site open at Saturday 01:00
because of Friday's row. Periods that touch or overlap (Friday 20:00-24:00 and Saturday 00:00-06:00)
count as one. A status other than open overrides the hours: a paused or closed site is not open.
Moments are read in local time (settings.TIME_ZONE, Asia/Shanghai).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

# "Opens soon": the next opening is at most this far away.
SOON = datetime.timedelta(hours=2)
OPEN = "open"


@dataclass(frozen=True)
class Period:
    weekday: int
    opens: datetime.time
    closes: datetime.time

    @property
    def past_midnight(self) -> bool:
        return self.closes <= self.opens


@dataclass(frozen=True)
class OpenState:
    open_now: bool
    closes_at: datetime.datetime | None  # end of the running period, when open
    opens_at: datetime.datetime | None  # the next opening within a week, when not open

    def opens_soon(self, now: datetime.datetime, soon: datetime.timedelta = SOON) -> bool:
        return not self.open_now and self.opens_at is not None and self.opens_at - _local(now) <= soon


def _local(moment: datetime.datetime) -> datetime.datetime:
    """The moment on the sites' wall clock (settings.TIME_ZONE), whatever zone is active."""
    zone = timezone.get_default_timezone()
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, zone)
    return timezone.localtime(moment, zone)


def intervals(periods: Iterable[Period], start: datetime.date, days: int) -> list[tuple]:
    """Naive local [start, end) intervals of the periods of `days` days from `start`, merged."""
    by_weekday: dict[int, list[Period]] = {}
    for p in periods:
        by_weekday.setdefault(p.weekday, []).append(p)
    spans = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        for p in by_weekday.get(day.weekday(), []):
            begin = datetime.datetime.combine(day, p.opens)
            end = datetime.datetime.combine(day + datetime.timedelta(days=p.past_midnight), p.closes)
            spans.append((begin, end))
    spans.sort()
    merged: list[list] = []
    for begin, end in spans:
        if merged and begin <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([begin, end])
    return [(b, e) for b, e in merged]


def state(periods: Iterable[Period], status: str, now: datetime.datetime) -> OpenState:
    """Whether the site is open at `now`, until when, or when it next opens."""
    if status != OPEN:
        return OpenState(False, None, None)
    local = _local(now)
    tz = local.tzinfo
    naive = local.replace(tzinfo=None)
    # From yesterday (its past-midnight periods) to a week ahead (the next opening).
    for begin, end in intervals(periods, naive.date() - datetime.timedelta(days=1), 9):
        if begin <= naive < end:
            return OpenState(True, end.replace(tzinfo=tz), None)
        if begin > naive:
            return OpenState(False, None, begin.replace(tzinfo=tz))
    return OpenState(False, None, None)


def is_open(periods: Iterable[Period], status: str, now: datetime.datetime) -> bool:
    return state(periods, status, now).open_now


def day_text(periods: Iterable[Period], weekday: int, next_day_label: str = "次日") -> str:
    """A weekday's hours for people: 07:00–11:00、20:00–次日02:00; empty when closed that day."""
    parts = []
    for p in sorted((p for p in periods if p.weekday == weekday), key=lambda p: p.opens):
        closes = p.closes.strftime("%H:%M")
        if p.past_midnight:
            closes = "24:00" if p.closes == datetime.time(0) else next_day_label + closes
        parts.append(f"{p.opens.strftime('%H:%M')}–{closes}")
    return "、".join(parts)
