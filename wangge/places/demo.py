"""Demo premises: 401 key premises on the roads of Xinjing, each road split into segments with road
chiefs (grid workers). Deterministic and idempotent."""

import datetime
import math
import random

from django.contrib.auth.hashers import make_password

from wangge.core.demo import DEMO_PASSWORD, TOWN_CODE
from wangge.core.models import Area, AreaLevel, Department, User, UserRole
from wangge.core.roles import Role
from wangge.core.towns import ensure_routes
from wangge.core.validators import credit_code_check_character

from .models import CategoryRoute, Premises, PremisesCategory, RoadSegment

ROADS = ["天山西路", "仙霞西路", "北虹路", "哈密路", "剑河路", "新泾路", "金钟路", "双流路", "淮阴路", "通协路",
         "北渔路", "林泉路"]
SEGMENT_LENGTH = 200  # house numbers per segment
SEGMENTS_PER_ROAD = 3
KEY_PREMISES = 401
CENTRE = (121.3728, 31.2123)
# category: (share of the 401, opening hours, names)
MIX = {
    "restaurant": (120, (datetime.time(10), datetime.time(22)), ["面馆", "小吃", "饭店", "餐厅", "火锅"]),
    "shop": (90, (datetime.time(9), datetime.time(21)), ["便利店", "五金店", "水果店", "服装店", "药店"]),
    "salon": (45, (datetime.time(9, 30), datetime.time(21, 30)), ["美发", "美容院", "美甲"]),
    "supermarket": (30, (datetime.time(7), datetime.time(22)), ["超市", "生鲜超市"]),
    "market": (8, (datetime.time(6), datetime.time(17, 30)), ["菜市场", "农贸市场"]),
    "hotel": (22, (datetime.time(0), datetime.time(0)), ["宾馆", "快捷酒店"]),
    "entertainment": (30, (datetime.time(19), datetime.time(2)), ["KTV", "棋牌室", "剧本杀", "酒吧"]),
    "office": (16, (datetime.time(8), datetime.time(18)), ["商务大厦", "科技园", "大楼"]),
    "internet_cafe": (10, (datetime.time(0), datetime.time(0)), ["网吧", "网咖"]),
    "gym": (15, (datetime.time(7), datetime.time(22)), ["健身房", "瑜伽馆"]),
    "express": (15, (datetime.time(8), datetime.time(18)), ["快递驿站", "快递网点"]),
}
REGULATOR = {"restaurant": "SJS", "shop": "SJS", "salon": "SJS", "supermarket": "SJS", "market": "SJS",
             "hotel": "PCS", "entertainment": "PCS", "internet_cafe": "PCS", "office": "JFB", "gym": "SJS",
             "express": "CYZX", "training": "SJS", "other": "CYZX"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖"
# The demo's made-up street plan (not copied from any map): the roads run north-south, ROAD_GAP degrees of
# longitude apart and gently curved; house numbers rise northwards, SEGMENT_SPAN degrees of latitude a segment.
ROAD_GAP = 0.0025
SEGMENT_SPAN = 0.004


def road_lng(road: int, lat: float) -> float:
    """The road's centre line: its longitude at a latitude."""
    return CENTRE[0] + (road - 6) * ROAD_GAP + 0.00015 * math.sin((lat - CENTRE[1]) * 700 + road)


def number_lat(number: int) -> float:
    """Where a house number lies along its road (with a short margin at each segment's ends)."""
    segment, offset = divmod(number - 1, SEGMENT_LENGTH)
    start = CENTRE[1] - SEGMENTS_PER_ROAD * SEGMENT_SPAN / 2 + segment * SEGMENT_SPAN
    return start + SEGMENT_SPAN * (0.05 + 0.9 * offset / (SEGMENT_LENGTH - 1))


def segment_line(road: int, from_number: int, to_number: int) -> dict:
    """The stretch of the road from the segment's first to its last number, as a GeoJSON LineString."""
    start = number_lat(from_number) - SEGMENT_SPAN * 0.05
    end = number_lat(to_number) + SEGMENT_SPAN * 0.05
    steps = 8
    points = [(road_lng(road, start + (end - start) * i / steps), start + (end - start) * i / steps)
              for i in range(steps + 1)]
    return {"type": "LineString", "coordinates": [[round(x, 6), round(y, 6)] for x, y in points]}


def credit_code(rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "92" + "310105" + "".join(rng.choice(alphabet) for _ in range(9))
    return body + credit_code_check_character(body)


def _chiefs(grids: list[Area]) -> list[User]:
    """One road chief (a grid worker) per grid that has road segments; the demo gridworker is one."""
    chiefs = []
    password = make_password(DEMO_PASSWORD)
    for n, grid in enumerate(grids, start=1):
        username = "gridworker" if grid.code.endswith("022001") else f"luzhang{n:02d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(username=username, full_name=f"{grid.name}路长", password=password)
            user.areas.set([grid])
            UserRole.objects.create(user=user, role=Role.GRID_WORKER)
        chiefs.append(user)
    return chiefs


def load(context: dict) -> None:
    town = Area.objects.get(code=TOWN_CODE)
    departments = {d.code: d for d in Department.objects.filter(town=town)}
    ensure_routes(town)
    for route in CategoryRoute.objects.filter(town=town, department__isnull=True).select_related("category"):
        wanted = departments.get(REGULATOR.get(route.category.code, ""))
        if wanted is not None:
            route.department = wanted
            route.save()
    if RoadSegment.objects.exists():
        return
    categories = {c.code: c for c in PremisesCategory.objects.all()}
    rng = random.Random(401)
    # Roads run through the grids of the source's neighbourhoods first, then others.
    grids = list(Area.objects.filter(level=AreaLevel.GRID).order_by("path"))
    first = [g for g in grids if g.parent.name in ("林泉", "北虹", "新泾家苑", "天山星城", "定威路", "绿五")]
    rest = [g for g in grids if g not in first]
    chosen = (first + rest)[:len(ROADS) * SEGMENTS_PER_ROAD]
    chiefs = _chiefs(chosen[: len(chosen) // 2 + 6])
    segments = []
    for r, road in enumerate(ROADS):
        for s in range(SEGMENTS_PER_ROAD):
            grid = chosen[r * SEGMENTS_PER_ROAD + s]
            chief = chiefs[(r * SEGMENTS_PER_ROAD + s) % len(chiefs)] if (r + s) % 7 else None  # a few lack one
            first, last = s * SEGMENT_LENGTH + 1, (s + 1) * SEGMENT_LENGTH
            segments.append(RoadSegment.objects.create(
                road=road, from_number=first, to_number=last, grid=grid, chief=chief,
                geometry=segment_line(r, first, last)))
    premises, buildings = [], []
    plan = [code for code, (count, _hours, _names) in MIX.items() for _ in range(count)]
    plan += ["shop"] * (KEY_PREMISES - len(plan))
    rng.shuffle(plan)
    for n, code in enumerate(plan[:KEY_PREMISES]):
        _count, (opens, closes), names = MIX[code]
        segment = rng.choice(segments)
        number = rng.randrange(segment.from_number, segment.to_number + 1)
        # Odd numbers on the east side of the road, even on the west, a few metres apart.
        lat = number_lat(number) + rng.uniform(-0.00003, 0.00003)
        lng = road_lng(ROADS.index(segment.road), lat) + (1 if number % 2 else -1) * 0.0003 + rng.uniform(-0.0001,
                                                                                                       0.0001)
        venue = rng.choices(["posted", "applied", "not_applied"], weights=[85, 10, 5])[0]
        p = Premises(
            name=f"{rng.choice(SURNAMES)}记{rng.choice(names)}（{segment.road}店）" if code != "office"
            else f"新泾{rng.choice(names)}{n}号",
            category=categories[code], is_key=True, address=f"{segment.road}{number}号", segment=segment,
            grid_id=segment.grid_id, credit_code=credit_code(rng) if rng.random() < 0.8 else "",
            licence_number=f"JY3{rng.randrange(10**12):012d}" if code in ("restaurant", "supermarket") else "",
            operator=rng.choice(SURNAMES) + "某", contact_name=rng.choice(SURNAMES) + "经理",
            contact_phone=f"13{rng.randrange(10)}{rng.randrange(10**8):08d}", opens_at=opens, closes_at=closes,
            venue_code_status=venue,
            venue_code_number=f"CSM{rng.randrange(10**8):08d}" if venue != "not_applied" else "",
            staff_count=rng.randrange(2, 40), latitude=round(lat, 6), longitude=round(lng, 6),
        )
        p.derive()
        (buildings if code == "office" else premises).append(p)
    Premises.objects.bulk_create(buildings)
    offices = list(Premises.objects.filter(category__code="office"))
    for p in premises[::15]:  # some shops sit inside office buildings
        p.building = rng.choice(offices)
    Premises.objects.bulk_create(premises, batch_size=500)
