"""Premises and residents, built like the services build them (derived and protected columns filled,
phones and ID numbers encrypted) and inserted through `insert_audited` in batches."""

import datetime
from decimal import Decimal

from wangge.community.models import Resident
from wangge.core.bulk import insert_audited
from wangge.core.validators import id_check_character
from wangge.places.choices import PremisesStatus, VenueCodeStatus
from wangge.places.models import Premises, PremisesCategory

from .areas import CELL, DISTRICT_CODE, centre

BATCH = 10_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
ROADS = ["仙霞西路", "哈密路", "北渔路", "剑河路", "天山西路", "金浜路", "双流路", "福泉北路"]
HOURS = [(datetime.time(9), datetime.time(21)), (datetime.time(10), datetime.time(22)),
         (datetime.time(18), datetime.time(2)), (datetime.time(7), datetime.time(19))]


def _spread(rng, grid) -> tuple[Decimal, Decimal]:
    x, y = centre(grid)
    dx, dy = rng.uniform(-0.45, 0.45) * CELL, rng.uniform(-0.45, 0.45) * CELL
    return Decimal(f"{x + dx:.6f}"), Decimal(f"{y + dy:.6f}")


def make_premises(rng, scale, grids) -> int:
    categories = list(PremisesCategory.objects.exclude(code="office").order_by("sort_order", "code"))
    statuses = [PremisesStatus.OPEN] * 95 + [PremisesStatus.SUSPENDED] * 3 + [PremisesStatus.SHUT] * 2
    made = 0
    while made < scale.premises:
        batch = []
        for n in range(made, min(made + BATCH, scale.premises)):
            grid = grids[n % len(grids)]
            category = categories[rng.randrange(len(categories))]
            opens, closes = HOURS[rng.randrange(len(HOURS))]
            lng, lat = _spread(rng, grid)
            p = Premises(name=f"{rng.choice(SURNAMES)}记{category.name}{n + 1}号", category=category, is_key=True,
                         address=f"{rng.choice(ROADS)}{rng.randrange(1, 2000)}号", grid=grid,
                         contact_name=f"{rng.choice(SURNAMES)}经理",
                         contact_phone=f"13{rng.randrange(10)}{rng.randrange(10 ** 8):08d}",
                         opens_at=opens, closes_at=closes, status=statuses[rng.randrange(len(statuses))],
                         venue_code_status=VenueCodeStatus.POSTED, staff_count=rng.randrange(2, 40),
                         latitude=lat, longitude=lng)
            p.derive()
            batch.append(p)
        insert_audited(batch)
        made += len(batch)
    return made


def id_number(n: int) -> str:
    """A valid, unique ID number for resident n: a birth date and a sequence number from n."""
    born = datetime.date(1935, 1, 1) + datetime.timedelta(days=n // 900 * 7 % 27000)
    first17 = f"{DISTRICT_CODE}{born:%Y%m%d}{n % 900 + 100:03d}"
    return first17 + id_check_character(first17)


def make_residents(rng, scale, grids) -> int:
    made = 0
    while made < scale.residents:
        batch = []
        for n in range(made, min(made + BATCH, scale.residents)):
            r = Resident(name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), id_number=id_number(n),
                         phone=f"13{rng.randrange(10)}{rng.randrange(10 ** 8):08d}" if rng.random() < 0.8 else "",
                         grid=grids[n % len(grids)], address=f"{rng.choice(ROADS)}{rng.randrange(1, 900)}弄")
            r.derive_protected_columns()
            batch.append(r)
        insert_audited(batch)
        made += len(batch)
    return made
