"""`?from=YYYY-MM-DD&to=YYYY-MM-DD`: the period a dashboard or brief speaks for."""

import datetime

from django.utils.translation import gettext as _

from .figures import Period


class PeriodError(ValueError):
    pass


def _date(value: str, label: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(_("%(label)s is not a date like 2022-07-15.") % {"label": label}) from None


def parse_period(params) -> Period | None:
    """None when neither end is given (the live dashboard); one end alone means that single day."""
    start, end = (params.get("from") or "").strip(), (params.get("to") or "").strip()
    if not start and not end:
        return None
    first = _date(start or end, _("The first day"))
    last = _date(end or start, _("The last day"))
    if first > last:
        raise PeriodError(_("The first day must not be after the last day."))
    return Period(first, last)
