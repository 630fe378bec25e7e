"""Open now and opens soon: weekday hours, several periods a day, past midnight, status override."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from wangge.sampling.hours import Period, day_text, intervals, is_open, state

SHANGHAI = ZoneInfo("Asia/Shanghai")
T = datetime.time
FRI, SAT, SUN, MON = 4, 5, 6, 0


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


# 2022-07-15 is a Friday, 07-17 a Sunday, 07-18 a Monday.
FRIDAY_NIGHT = [Period(FRI, T(20), T(2))]
LUNCH_BREAK = [Period(d, T(7), T(11)) for d in range(7)] + [Period(d, T(13), T(20)) for d in range(7)]


def test_time_zone_is_shanghai(settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.parametrize(("moment", "expected"), [
    (at(2022, 7, 15, 19, 59), False),
    (at(2022, 7, 15, 20, 0), True),  # opening minute is open
    (at(2022, 7, 15, 23, 59), True),
    (at(2022, 7, 16, 0, 0), True),  # Saturday, because of Friday's row
    (at(2022, 7, 16, 1, 0), True),
    (at(2022, 7, 16, 2, 0), False),  # closing minute is closed
    (at(2022, 7, 16, 20, 30), False),  # Saturday has no row of its own
    (at(2022, 7, 14, 1, 0), False),  # Thursday night: the row belongs to Friday
])
def test_friday_night_runs_into_saturday(moment, expected):
    assert is_open(FRIDAY_NIGHT, "open", moment) is expected


def test_sunday_night_wraps_into_monday():
    hours = [Period(SUN, T(22), T(6))]
    assert is_open(hours, "open", at(2022, 7, 17, 23, 0))
    assert is_open(hours, "open", at(2022, 7, 18, 3, 0))  # Monday 03:00, from Sunday's row
    assert not is_open(hours, "open", at(2022, 7, 18, 6, 0))
    assert not is_open(hours, "open", at(2022, 7, 17, 3, 0))  # Sunday 03:00: Saturday has no row
    assert state(hours, "open", at(2022, 7, 17, 23, 0)).closes_at == at(2022, 7, 18, 6, 0)


def test_several_periods_in_a_day():
    assert is_open(LUNCH_BREAK, "open", at(2022, 7, 15, 10, 59))
    assert not is_open(LUNCH_BREAK, "open", at(2022, 7, 15, 12, 0))
    assert is_open(LUNCH_BREAK, "open", at(2022, 7, 15, 13, 0))
    assert not is_open(LUNCH_BREAK, "open", at(2022, 7, 15, 20, 0))
    during_break = state(LUNCH_BREAK, "open", at(2022, 7, 15, 12, 0))
    assert during_break.opens_at == at(2022, 7, 15, 13, 0)
    assert during_break.opens_soon(at(2022, 7, 15, 12, 0))
    morning = state(LUNCH_BREAK, "open", at(2022, 7, 15, 8, 0))
    assert morning.closes_at == at(2022, 7, 15, 11, 0)


@pytest.mark.parametrize("status", ["paused", "closed"])
def test_status_overrides_the_hours(status):
    result = state(LUNCH_BREAK, status, at(2022, 7, 15, 9, 0))
    assert not result.open_now and result.opens_at is None and result.closes_at is None
    assert not result.opens_soon(at(2022, 7, 15, 9, 0))


def test_touching_periods_merge_across_midnight():
    hours = [Period(FRI, T(20), T(0)), Period(SAT, T(0), T(6))]
    result = state(hours, "open", at(2022, 7, 15, 23, 0))
    assert result.open_now and result.closes_at == at(2022, 7, 16, 6, 0)


def test_round_the_clock():
    hours = [Period(d, T(0), T(0)) for d in range(7)]
    for hour in (0, 5, 12, 23):
        assert is_open(hours, "open", at(2022, 7, 15, hour, 30))


def test_next_opening_and_soon():
    hours = [Period(MON, T(9), T(16))]
    friday = state(hours, "open", at(2022, 7, 15, 12, 0))
    assert friday.opens_at == at(2022, 7, 18, 9, 0)
    assert not friday.opens_soon(at(2022, 7, 15, 12, 0))
    early = state(hours, "open", at(2022, 7, 18, 7, 30))
    assert early.opens_soon(at(2022, 7, 18, 7, 30))
    assert state([], "open", at(2022, 7, 15, 12, 0)).opens_at is None


def test_moments_are_read_in_local_time():
    utc_moment = datetime.datetime(2022, 7, 15, 17, 30, tzinfo=datetime.UTC)  # 01:30 Saturday in Shanghai
    assert is_open(FRIDAY_NIGHT, "open", utc_moment)
    with timezone.override("UTC"):  # the sites keep Shanghai hours whatever zone is active
        assert is_open(FRIDAY_NIGHT, "open", utc_moment)
    assert is_open(FRIDAY_NIGHT, "open", datetime.datetime(2022, 7, 16, 1, 30))  # naive: local wall clock


def test_intervals_and_day_text():
    spans = intervals(FRIDAY_NIGHT, datetime.date(2022, 7, 15), 1)
    assert spans == [(datetime.datetime(2022, 7, 15, 20), datetime.datetime(2022, 7, 16, 2))]
    assert day_text(LUNCH_BREAK, FRI) == "07:00–11:00、13:00–20:00"
    assert day_text(FRIDAY_NIGHT, FRI) == "20:00–次日02:00"
    assert day_text([Period(FRI, T(18), T(0))], FRI) == "18:00–24:00"
    assert day_text(FRIDAY_NIGHT, SAT) == ""
