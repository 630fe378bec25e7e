"""The demo town: Xinjing (新泾镇), its neighbourhoods and grids, the task-force units, demo staff.

Deterministic and idempotent: rows are matched by code or username, so running it again changes
nothing. Codes follow DOMAIN.md: town 310105102, neighbourhoods 310105102001-, grids + 3 digits.
"""

from dataclasses import dataclass, field

from .models import Area, AreaLevel, Department, User, UserRole
from .roles import Role

TOWN_CODE = "310105102"
TOWN_NAME = "新泾镇"
# The 2016 list of residential committees (DOMAIN.md), then the two more the source document names.
NEIGHBOURHOODS = [
    "刘家宅一村", "刘家宅二村", "刘家宅三村", "刘家宅四村", "福泉路", "淮阴路", "淞虹二村", "淞虹三村",
    "淞虹四村", "淞虹五村", "华松", "曙光", "屈家桥", "绿园一村", "绿园新村五", "绿园新村八",
    "绿园新村十一", "绿园新村十二", "北虹", "程桥", "中泾", "林泉", "双流路", "新渔东路", "定威路",
    "虹园新村九", "平塘", "虹康", "南洋新都", "新泾", "怡景苑", "天山星城", "新泾北苑", "新泾家苑", "绿五",
]
GRIDS_PER_NEIGHBOURHOOD = 3
DEPARTMENTS = [
    ("PAB", "平安办", "平安办"),
    ("JFB", "经济发展办公室", "经发办"),
    ("GJB", "规划建设办公室", "规建办"),
    ("CYZX", "城市运行管理中心", "城运中心"),
    ("PCS", "新泾派出所", "派出所"),
    ("ZFD", "综合行政执法队", "执法队"),
    ("SJS", "市场监督管理所", "市场所"),
    ("SQWS", "新泾镇社区卫生服务中心", "社区卫生服务中心"),
]
ENFORCEMENT_UNITS = {"PCS", "ZFD", "SJS"}
DEMO_PASSWORD = "wangge-demo-2022"


@dataclass
class DemoAccount:
    username: str
    full_name: str
    role: str
    areas: list[str] = field(default_factory=list)  # area codes
    departments: list[str] = field(default_factory=list)  # department codes


LINQUAN = TOWN_CODE + f"{NEIGHBOURHOODS.index('林泉') + 1:03d}"
ACCOUNTS = [
    DemoAccount("admin", "系统管理员", Role.ADMIN, [TOWN_CODE]),
    DemoAccount("townadmin", "镇管理员", Role.TOWN_ADMIN, [TOWN_CODE]),  # the town's staff and settings only
    DemoAccount("leader", "镇领导", Role.TOWN_LEADER, [TOWN_CODE]),
    DemoAccount("officer", "市场所干部", Role.DEPARTMENT_OFFICER, [], ["SJS"]),
    DemoAccount("jingfa", "经发办干部", Role.DEPARTMENT_OFFICER, [], ["JFB"]),
    DemoAccount("cadre", "林泉居民区书记", Role.NEIGHBOURHOOD_CADRE, [LINQUAN]),
    DemoAccount("gridworker", "林泉第1网格员", Role.GRID_WORKER, [LINQUAN + "001"]),
    DemoAccount("inspector", "执法队员", Role.INSPECTOR, [TOWN_CODE], ["ZFD"]),
    # The family doctor serves Linquan: their signed residents, and for vaccination its unsigned ones too.
    DemoAccount("doctor", "家庭医生", Role.FAMILY_DOCTOR, [LINQUAN], ["SQWS"]),
    DemoAccount("sampler", "采样点工作人员", Role.SAMPLING_STAFF, [TOWN_CODE + "028"]),  # 虹康
    DemoAccount("health", "社区卫生服务中心医生", Role.HEALTH_CENTRE_STAFF, [TOWN_CODE], ["SQWS"]),
]


def _area(code: str, name: str, level: str, parent: Area | None) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        area = Area(code=code)
    if (area.name, area.level, area.parent_id) != (name, level, parent.pk if parent else None):
        area.name, area.level, area.parent = name, level, parent
        area.save()
    return area


def load_areas() -> dict[str, Area]:
    town = _area(TOWN_CODE, TOWN_NAME, AreaLevel.TOWN, None)
    areas = {town.code: town}
    for i, name in enumerate(NEIGHBOURHOODS, start=1):
        hood = _area(f"{TOWN_CODE}{i:03d}", name, AreaLevel.NEIGHBOURHOOD, town)
        areas[hood.code] = hood
        for g in range(1, GRIDS_PER_NEIGHBOURHOOD + 1):
            grid = _area(f"{hood.code}{g:03d}", f"{name}第{g}网格", AreaLevel.GRID, hood)
            areas[grid.code] = grid
    return areas


def load_departments(town: Area) -> dict[str, Department]:
    departments = {}
    for code, name, short in DEPARTMENTS:
        dept, _ = Department.objects.get_or_create(town=town, code=code, defaults={
            "name": name, "short_name": short, "is_enforcement": code in ENFORCEMENT_UNITS})
        departments[code] = dept
    return departments


def load_accounts(areas: dict[str, Area], departments: dict[str, Department]) -> list[DemoAccount]:
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(username=account.username, full_name=account.full_name)
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = account.role == Role.ADMIN
            user.save()
            user.areas.set([areas[c] for c in account.areas])
            user.departments.set([departments[c] for c in account.departments])
            UserRole.objects.create(user=user, role=account.role)
    return ACCOUNTS


def load() -> dict:
    areas = load_areas()
    departments = load_departments(areas[TOWN_CODE])
    accounts = load_accounts(areas, departments)
    return {"areas": areas, "departments": departments, "accounts": accounts}
