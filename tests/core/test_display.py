"""Moments and spans as people read them (#20.7, #22.4): local time without seconds, fractions or
UTC offsets; durations in days, hours and minutes in Chinese."""

import datetime

import pytest
from django.utils import timezone, translation

from wangge.core import display
from wangge.workorders import services
from wangge.workorders.choices import State
from wangge.workorders.models import WorkOrder

from ..workorders.helpers import raise_order


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.mark.parametrize("span, text", [
    (datetime.timedelta(days=2, hours=3, minutes=5), "2天3小时"),
    (datetime.timedelta(days=2, minutes=5), "2天"),
    (datetime.timedelta(hours=3, minutes=5, seconds=59), "3小时5分钟"),
    (datetime.timedelta(minutes=1), "1分钟"),
    (datetime.timedelta(seconds=4.136254), "不到1分钟"),
    (datetime.timedelta(weeks=2, days=3), "17天"),
    (90061, "1天1小时"),
])
def test_durations_read_in_days_hours_and_minutes(span, text):
    assert display.duration(span) == text


@pytest.mark.parametrize("metres, text", [
    (0, "0 米"), (173, "173 米"), (999.4, "999 米"), (999.6, "1.0 公里"), (1234, "1.2 公里"),
    (1_070_000, "1070.0 公里"), (None, ""),
])
def test_distances_read_in_metres_then_kilometres(metres, text):
    assert display.distance(metres) == text


def test_moments_are_local_wall_clock_time():
    # what the change record stores: ISO text in UTC with microseconds
    assert display.moment("2026-12-05T08:52:40.763923+00:00") == "2026-12-05 16:52"
    assert display.moment(datetime.datetime(2026, 12, 5, 8, 52, 40, tzinfo=datetime.UTC)) == "2026-12-05 16:52"
    assert display.moment("2026-12-05") == "2026-12-05"
    assert display.moment(None) == ""


def test_since_counts_days():
    today = datetime.date(2026, 12, 5)
    assert display.since(datetime.date(2026, 11, 18), today) == "17天前"
    assert display.since(today, today) == "今天"


def test_figures_page_shows_median_time_to_close_in_chinese(world, login):
    """The figures page showed `0:00:04.136254`; two orders closed after 2 days 3 hours read 2天3小时."""
    for grid in ("linquan1", "linquan2"):
        order = raise_order(world, grid=grid)
        WorkOrder.objects.filter(pk=order.pk).update(state=State.AWAITING_VERIFICATION)
        order.refresh_from_db()
        services.verify_and_close(world.users["admin"], order)
    closed = timezone.now()
    WorkOrder.objects.update(closed_at=closed,
                             created_at=closed - datetime.timedelta(days=2, hours=3, minutes=20, seconds=4.1))
    page = login(world.users["leader"]).get("/workorders/figures/").content.decode()
    assert "2天3小时" in page and ":04." not in page
