"""Ready-made people and places for every test: a small town with two neighbourhoods, two grids
each, one user per role, and residents in every grid."""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.conf import settings

from wangge.community.models import Resident
from wangge.core.models import ApiToken, Area, AreaLevel, Department, User, UserRole
from wangge.core.roles import Role
from wangge.core.towns import ensure_routes
from wangge.places.models import CategoryRoute, Premises, PremisesCategory, RoadSegment

PASSWORD = "test-pass-2022"


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Transactional tests reset their database with flush, which refuses a database holding a trail.
    settings.WANGGE_ALLOW_FLUSH = True


# Modules whose module fixture is too dear to run twice (the loaded demo town): xdist's default `--dist load`
# is kept, but such a module's tests are sent first, all in the first chunk to one worker. (xdist's own
# `--dist loadgroup` cannot group them: under pytest 9 its marker no longer renames the test it groups by;
# and its scope-based schedulers key tests by node id, which would run one of schemathesis's two
# same-named tests only.)
SHARED_MODULES = ("tests/test_demo_town.py",)
# A worker holds at most this many browser tests in its queue. pytest-django runs the transactional tests
# (every browser test) last; xdist's `--dist load` hands a worker up to a quarter of what is left, which
# the other cannot take from: the other worker sat idle for a minute and a half at the end of the run.
BROWSER_QUEUE = 3


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScheduling

    class SharedFirstShortBrowserQueues(LoadScheduling):
        shared_sent = False

        def _browser(self, index: int) -> bool:
            return self.collection[index].startswith("tests/browser/")

        def _send_tests(self, node, num: int) -> None:
            if not self.shared_sent:
                self.shared_sent = True
                shared = [i for i in self.pending if self.collection[i].split("::", 1)[0] in SHARED_MODULES]
                if shared:
                    self.pending[:] = shared + [i for i in self.pending if i not in set(shared)]
                    num = max(num, len(shared))
            room = BROWSER_QUEUE - sum(map(self._browser, self.node2pending[node]))
            for count, index in enumerate(self.pending[:num]):
                if self._browser(index):
                    if room <= 0:
                        num = count
                        break
                    room -= 1
            if num:
                super()._send_tests(node, num)

    return SharedFirstShortBrowserQueues(config, log)


@contextmanager
def rolled_back(django_db_blocker):
    """For a module fixture that builds its rows once: they are made in a transaction the module's end rolls
    back, each test's own transaction being a savepoint inside it, so every test starts from the same rows
    and the modules after find the database as before (a flush would also delete the rows the data
    migrations seeded). Such a fixture hands each test a `copy.deepcopy` of what it built, so a test that
    changes an object in memory changes its own copy only."""
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


def earlier_today(hours: float = 1) -> datetime.datetime:
    """`hours` ago, but never before local midnight: a scenario "an hour ago" that must stay on today's
    date (an appointment, a check-in) would otherwise fall on yesterday between 00:00 and 01:00 Beijing
    time. Later steps are offsets from it, and may lie a little ahead of the clock."""
    from django.utils import timezone

    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    return max(timezone.now() - datetime.timedelta(hours=hours), midnight)


def id_number(born: str, seq: int) -> str:
    from wangge.core.validators import id_check_character

    first17 = f"310105{born}{seq:03d}"
    return first17 + id_check_character(first17)


@dataclass
class World:
    town: Area
    hoods: dict[str, Area]
    grids: dict[str, Area]
    departments: dict[str, Department]
    users: dict[str, User]
    residents: dict[str, Resident] = field(default_factory=dict)
    segments: dict = field(default_factory=dict)
    premises: dict = field(default_factory=dict)

    def token(self, username: str) -> str:
        return ApiToken.issue(self.users[username])[1]


def make_user(username, role, areas=(), departments=()):
    user = User(username=username, full_name=username)
    user.set_password(PASSWORD)
    user.save()
    user.areas.set(areas)
    user.departments.set(departments)
    if role:
        UserRole.objects.create(user=user, role=role)
    return user


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    """The town of `world`, for a fixture of a wider scope that builds it itself (in its own transaction)."""
    town = Area.objects.create(code="310105102", name="新泾镇", level=AreaLevel.TOWN)
    hoods = {
        "linquan": Area.objects.create(code="310105102022", name="林泉", level=AreaLevel.NEIGHBOURHOOD, parent=town),
        "beihong": Area.objects.create(code="310105102019", name="北虹", level=AreaLevel.NEIGHBOURHOOD, parent=town),
    }
    grids = {}
    for key, hood in hoods.items():
        for n in (1, 2):
            grids[f"{key}{n}"] = Area.objects.create(
                code=f"{hood.code}00{n}", name=f"{hood.name}第{n}网格", level=AreaLevel.GRID, parent=hood)
    departments = {
        "market": Department.objects.create(town=town, code="SJS", name="市场监督管理所", is_enforcement=True),
        "health": Department.objects.create(town=town, code="SQWS", name="社区卫生服务中心"),
    }
    users = {
        "admin": make_user("admin", Role.ADMIN),
        "leader": make_user("leader", Role.TOWN_LEADER, [town]),
        "officer": make_user("officer", Role.DEPARTMENT_OFFICER, [], [departments["market"]]),
        "cadre": make_user("cadre", Role.NEIGHBOURHOOD_CADRE, [hoods["linquan"]]),
        "gridworker": make_user("gridworker", Role.GRID_WORKER, [grids["linquan1"]]),
        "inspector": make_user("inspector", Role.INSPECTOR, [town]),
        "doctor": make_user("doctor", Role.FAMILY_DOCTOR, [], [departments["health"]]),
        "nobody": make_user("nobody", None),
    }
    w = World(town, hoods, grids, departments, users)
    people = [
        ("linquan1", "张伟", "19520304", 11, "13912345678", True),
        ("linquan2", "李娜", "19480512", 22, "13800001111", True),
        ("beihong1", "王芳", "19601122", 32, "13700002222", False),
        ("beihong2", "赵强", "19391001", 41, "", True),
    ]
    for grid, name, born, seq, phone, signed in people:
        r = Resident(name=name, id_number=id_number(born, seq), phone=phone, grid=grids[grid],
                     family_doctor=users["doctor"] if signed else None)
        r.save()
        w.residents[grid] = r
    add_premises(w)
    return w


def add_premises(w: World) -> None:
    """Two road segments (the grid worker is chief of one in another neighbourhood) and one premises
    per grid; restaurants and supermarkets are regulated by the market office."""
    from importlib import import_module

    seed = import_module("wangge.places.migrations.0002_seed_categories")
    for order, (code, name) in enumerate(seed.CATEGORIES, start=1):
        PremisesCategory.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    ensure_routes(w.town)
    CategoryRoute.objects.filter(town=w.town, category__code__in=["restaurant", "supermarket"]).update(
        department=w.departments["market"])
    w.segments = {
        "xianxia": RoadSegment.objects.create(road="仙霞西路", from_number=1, to_number=99, side="odd",
                                              grid=w.grids["linquan1"]),
        "hami": RoadSegment.objects.create(road="哈密路", from_number=1, to_number=200, grid=w.grids["beihong1"],
                                           chief=w.users["gridworker"]),
    }
    cat = {c.code: c for c in PremisesCategory.objects.all()}
    specs = [("linquan1", "老王面馆", "restaurant", "仙霞西路5号", "13911110000"),
             ("linquan2", "林泉宾馆", "hotel", "林泉路8号", ""),
             ("beihong1", "北虹超市", "supermarket", "哈密路10号", "13922220000"),
             ("beihong2", "北虹KTV", "entertainment", "北渔路3号", "")]
    w.premises = {}
    for grid, name, code, address, phone in specs:
        p = Premises(name=name, category=cat[code], address=address, grid=w.grids[grid], contact_phone=phone,
                     opens_at=datetime.time(20) if code == "entertainment" else datetime.time(9),
                     closes_at=datetime.time(2) if code == "entertainment" else datetime.time(17))
        p.segment = w.segments["xianxia"] if grid == "linquan1" else w.segments["hami"] if grid == "beihong1" else None
        p.save()
        w.premises[grid] = p


@pytest.fixture
def login(client):
    def _login(user: User):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache (the big screen's answers, the roll-up worker's mark) does not carry from one test to another."""
    from django.core.cache import cache

    cache.clear()
    yield
