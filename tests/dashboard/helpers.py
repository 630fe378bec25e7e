"""A small campaign over the test world: four premises in scope, one compliant, one rectification
order, one shutdown, one not yet inspected; and boundaries for the four grids."""

import datetime

from django.utils import timezone

from wangge.core.models import AreaLevel
from wangge.dashboard.demo import fill_boundaries
from wangge.inspections.models import Task

from ..inspections.helpers import COMPLIANT, campaign, photo, submit


def run_campaign(world):
    c = campaign(world)
    tasks = {t.premises.grid.code: t for t in Task.objects.filter(campaign=c, reason="scope")
             .select_related("premises__grid")}
    by_grid = {key: tasks[grid.code] for key, grid in world.grids.items()}
    submit(world, by_grid["linquan1"])
    submit(world, by_grid["linquan2"], answers=dict(COMPLIANT, disinfection="no"), outcome="rectification",
           rectification_items="补建消杀台账", deadline=timezone.localdate() + datetime.timedelta(days=7),
           suspend=True)
    submit(world, by_grid["beihong2"], answers=dict(COMPLIANT, no_unpermitted_opening="no"), outcome="shutdown",
           legal_reason="未经许可擅自开业", photos=[("no_unpermitted_opening", photo())])
    return c


def with_coordinates(world):
    """Coordinates on the premises (one per grid, apart) and tiled boundaries for the grids."""
    for n, key in enumerate(("linquan1", "linquan2", "beihong1", "beihong2")):
        p = world.premises[key]
        p.longitude, p.latitude = 121.36 + 0.01 * (n % 2), 31.21 + 0.01 * (n // 2)
        p.save()
    return fill_boundaries(list(world.town.__class__.objects.filter(level=AreaLevel.GRID)))
