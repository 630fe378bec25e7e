"""Sampling sites in the test town: one per grid of the two neighbourhoods, and a sampling-staff user."""

import datetime

import pytest
from django.core.cache import cache

from wangge.core.roles import Role
from wangge.sampling.choices import SiteStatus
from wangge.sampling.hours import Period
from wangge.sampling.models import OpeningHours, SamplingSite

from ..conftest import make_user

T = datetime.time
EVERY_DAY = range(7)
# grid: code, name, hours, status
SITES = {
    "linquan1": ("LQ1", "林泉绿地采样点", [(EVERY_DAY, T(7), T(11)), (EVERY_DAY, T(13), T(20))], SiteStatus.OPEN),
    "linquan2": ("LQ2", "林泉夜间采样点", [(EVERY_DAY, T(20), T(2))], SiteStatus.OPEN),
    "beihong1": ("BH1", "北虹临时采样点", [(EVERY_DAY, T(8), T(17))], SiteStatus.PAUSED),
    "beihong2": ("BH2", "北虹流动采样车", [(range(5), T(9), T(16))], SiteStatus.OPEN),
}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sites(world) -> dict[str, SamplingSite]:
    return build_sites(world)


def build_sites(world) -> dict[str, SamplingSite]:
    world.users["sampler"] = make_user("sampler", Role.SAMPLING_STAFF, [world.hoods["linquan"]])
    found = {}
    for grid, (code, name, hours, status) in SITES.items():
        site = SamplingSite.objects.create(
            code=code, name=name, address=f"{name}门口", grid=world.grids[grid], capacity_per_hour=200,
            latitude=31.21, longitude=121.37, status=status,
            status_reason="高温暂停" if status != SiteStatus.OPEN else "", heat_measures="遮阳棚、冰袋")
        for days, opens, closes in hours:
            for day in days:
                OpeningHours.objects.create(site=site, weekday=day, opens=opens, closes=closes)
        found[grid] = site
    return found


def periods(*rows) -> list[Period]:
    return [Period(day, opens, closes) for day, opens, closes in rows]
