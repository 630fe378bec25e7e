"""How a moment, a day and a span of time read in the UI: local wall-clock time without seconds,
fractions or UTC offsets, spans in days, hours and minutes ("2天3小时"), distances in metres or
kilometres ("1.2 公里"). One place, so every page, export and message says it the same way."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def moment(value) -> str:
    """A datetime (or its ISO text, as the change record stores it) as "2026-12-05 16:52", local time."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        day_only = parse_date(value) if len(value) == 10 else None
        if day_only:
            return day_only.isoformat()
        parsed = parse_datetime(value)
        if parsed is None:
            return value
        value = parsed
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def duration(value) -> str:
    """A span (timedelta or seconds) in its two largest units: "2天3小时", "3小时5分钟", "不到1分钟"."""
    if value in (None, ""):
        return ""
    seconds = value.total_seconds() if isinstance(value, datetime.timedelta) else float(value)
    minutes = int(abs(seconds) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    units = [(days, lambda n: ngettext("%(n)s day", "%(n)s days", n)),
             (hours, lambda n: ngettext("%(n)s hour", "%(n)s hours", n)),
             (minutes, lambda n: ngettext("%(n)s minute", "%(n)s minutes", n))]
    present = [i for i, (n, _word) in enumerate(units) if n]
    if not present:
        return _("under a minute")
    # the largest unit present and the next one down (if not zero): 2天3小时, 2天, 3小时5分钟
    return "".join(word(n) % {"n": n} for n, word in units[present[0]:present[0] + 2] if n)


def distance(metres) -> str:
    """A distance as a person reads it: "173 米" under a kilometre, "1.2 公里" from one up."""
    if metres in (None, ""):
        return ""
    metres = round(float(metres))
    if metres >= 1000:
        return _("%(km)s km") % {"km": f"{metres / 1000:.1f}"}
    return _("%(m)s m") % {"m": metres}


def since(day, today=None) -> str:
    """How long ago a day was, in days: "16天前", "今天"."""
    if not day:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    today = today or timezone.localdate()
    days = (today - day).days
    if days <= 0:
        return _("today")
    return ngettext("%(n)s day ago", "%(n)s days ago", days) % {"n": days}
