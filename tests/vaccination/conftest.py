"""The neighbourhood world (tests/community) plus a health-centre user, the doctor serving Linquan, two
vaccination points, and helpers. Ages are counted on AS_OF."""

import datetime

import pytest

from wangge.core.roles import Role
from wangge.vaccination.models import VaccinationPoint

from ..community.conftest import hood, import_rows, person  # noqa: F401  (fixtures and helpers)
from ..conftest import make_user

AS_OF = datetime.date(2022, 5, 1)


@pytest.fixture
def town(hood):  # noqa: F811  (the fixture imported above)
    """`hood` with the doctor serving Linquan, a health-centre user and two points."""
    return build_town(hood)


def build_town(hood):  # noqa: F811
    world = hood.world
    world.users["doctor"].areas.set([world.hoods["linquan"]])
    world.users["doctor"].__dict__.pop("area_paths", None)
    world.users["health"] = make_user("health", Role.HEALTH_CENTRE_STAFF, [world.town], [world.departments["health"]])
    hood.points = [VaccinationPoint.objects.create(name="卫生服务中心接种点", grid=world.grids["linquan1"],
                                                   health_centre=world.departments["health"]),
                   VaccinationPoint.objects.create(name="北虹临时接种点", grid=world.grids["beihong1"])]
    return hood


def key_people(town) -> dict:
    """The world's four residents by grid, and Linquan's unsigned elder living alone."""
    return {**town.world.residents, "alone": town.people["alone"]}
