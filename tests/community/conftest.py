"""The world plus one compound per grid, a few residents in each (linquan1's with buildings and an aged
person living alone), gates, and a helper to run ledger files."""

import datetime
import io
from dataclasses import dataclass, field

import pytest
from openpyxl import Workbook

from wangge.community.models import Compound, Gate, Resident
from wangge.core.tabular.importer import run_import
from wangge.core.tabular.kinds import get_kind

from ..conftest import id_number

COMPOUNDS = {"linquan1": "林泉小区", "linquan2": "泉口小区", "beihong1": "北虹小区", "beihong2": "虹桥新村"}


@dataclass
class Hood:
    world: object
    compounds: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)

    @property
    def users(self):
        return self.world.users


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_rows(kind: str, rows, user, **kwargs):
    return run_import(get_kind(kind), xlsx(rows), f"{kind}.xlsx", user, **kwargs)


def person(grid, compound, name, born, seq, building="", room="", **flags) -> Resident:
    r = Resident(name=name, id_number=id_number(born, seq), grid=grid, compound=compound, building=building,
                 room=room, household=f"{building}-{room}" if building else "", **flags)
    r.save()
    return r


@pytest.fixture
def hood(world) -> Hood:
    return build_hood(world)


def build_hood(world) -> Hood:
    h = Hood(world)
    for key, name in COMPOUNDS.items():
        grid = world.grids[key]
        h.compounds[key] = Compound.objects.create(name=name, grid=grid, address=f"{name}路1号", buildings=3,
                                                   households=100, population=250)
        # The world's resident of this grid lives in its compound.
        Resident.objects.filter(pk=world.residents[key].pk).update(compound=h.compounds[key], building="1号",
                                                                   room="101")
        world.residents[key].refresh_from_db()
        Gate.objects.create(compound=h.compounds[key], name="南门", staff=2, hours="6:00-22:00")
    lq = h.compounds["linquan1"]
    g = world.grids["linquan1"]
    h.people = {
        "alone": person(g, lq, "孙秀兰", "19400101", 52, "1号", "102", lives_alone=True),
        "young": person(g, lq, "周杰", "19900505", 61, "2号", "201"),
        "bedridden": person(g, lq, "吴德福", "19500606", 71, "2号", "202", bedridden=True),
        "away": person(g, lq, "郑明", "19800808", 81, "3号", "301"),
    }
    return h


TODAY = datetime.date(2022, 4, 10)
