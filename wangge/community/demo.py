"""Demo residents: a few in every grid, with valid (synthetic) ID numbers; Linquan's signed with the
demo family doctor. Deterministic: the same seed gives the same people."""

import datetime
import random

from wangge.core.demo import LINQUAN
from wangge.core.models import Area, AreaLevel, User
from wangge.core.validators import id_check_character

from .models import Resident

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文玉珍凤红云德福海燕萍亮"
RESIDENTS_PER_GRID = 10


def synthetic_id_number(rng: random.Random, born: datetime.date, male: bool) -> str:
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"310105{born:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)


def load(context: dict) -> None:
    from wangge.core.audit import audit_context, current

    from . import demo_work

    _load_residents(context)
    admin = User.objects.get(username="admin")
    with audit_context(actor=admin, request_id=current().request_id or None):
        demo_work.load(admin)


def _load_residents(context: dict) -> None:
    if Resident.objects.exists():
        return
    rng = random.Random(2022)
    doctor = User.objects.filter(username="doctor").first()
    linquan = context["areas"][LINQUAN]
    new = []
    seen = set()
    for grid in Area.objects.filter(level=AreaLevel.GRID).order_by("path"):
        for _ in range(RESIDENTS_PER_GRID):
            born = datetime.date(1932, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 72))
            male = rng.random() < 0.5
            id_number = synthetic_id_number(rng, born, male)
            if id_number in seen:
                continue
            seen.add(id_number)
            resident = Resident(
                name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                id_number=id_number,
                phone=f"13{rng.randrange(0, 10)}{rng.randrange(0, 10**8):08d}",
                grid=grid,
                address=f"{grid.parent.name}{rng.randrange(1, 60)}号{rng.randrange(1, 7)}0{rng.randrange(1, 5)}室",
                family_doctor=doctor if grid.path.startswith(linquan.path) and rng.random() < 0.6 else None,
            )
            resident.derive_protected_columns()
            new.append(resident)
    Resident.objects.bulk_create(new, batch_size=500)
