"""Opening hours → which inspection shift can find the premises open (白+黑)."""

import datetime

DAY_STARTS = datetime.time(6, 0)
NIGHT_STARTS = datetime.time(18, 0)


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


def shift_of(opens: datetime.time | None, closes: datetime.time | None) -> str:
    """day, night or both: which of 06:00-18:00 and 18:00-06:00 the opening hours touch.

    `closes` at or before `opens` means the premises stays open past midnight (a KTV 20:00-02:00).
    Unknown hours count as both, so nobody is left out of the plan.
    """
    if opens is None or closes is None:
        return "both"
    start, end = _minutes(opens), _minutes(closes)
    if end <= start:
        end += 24 * 60
    # Minutes of [start, end) inside the day window, today or (past midnight) tomorrow.
    in_day = sum(max(0, min(end, _minutes(NIGHT_STARTS) + offset) - max(start, _minutes(DAY_STARTS) + offset))
                 for offset in (0, 24 * 60))
    day, night = in_day > 0, (end - start) > in_day
    if day and night:
        return "both"
    return "day" if day else "night"
