"""The generated district: towns, neighbourhoods and grids with rectangular boundaries on a lattice,
a few departments and staff (a district leader, a cadre, a grid worker, an inspector per town)."""

from wangge.core.models import Area, AreaLevel, Department, User, UserRole
from wangge.core.roles import Role

DISTRICT_CODE = "310199"  # not a real district: generated data never mixes with a real code
CELL = 0.004  # degrees per grid cell on the lattice
ORIGIN = (121.20, 31.10)
DEPARTMENTS = [("GEN-SJS", "生成区市场监督管理所", True), ("GEN-AJ", "生成区应急管理局", True),
               ("GEN-CY", "生成区城运中心", False), ("GEN-JW", "生成区建管委", False)]


def _rectangle(index: int, width: int) -> dict:
    col, row = index % width, index // width
    x0, y0 = ORIGIN[0] + col * CELL, ORIGIN[1] + row * CELL
    x1, y1 = round(x0 + CELL, 6), round(y0 + CELL, 6)
    x0, y0 = round(x0, 6), round(y0, 6)
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def make_areas(scale) -> dict:
    district = Area.objects.create(code=DISTRICT_CODE, name="生成区", level=AreaLevel.DISTRICT)
    towns, hoods, grids = [], [], []
    width = max(1, int(scale.grids ** 0.5))
    for t in range(1, scale.towns + 1):
        town = Area.objects.create(code=f"{DISTRICT_CODE}{t:03d}", name=f"生成{t}镇", level=AreaLevel.TOWN,
                                   parent=district)
        towns.append(town)
        for n in range(1, scale.neighbourhoods_per_town + 1):
            hood = Area.objects.create(code=f"{town.code}{n:03d}", name=f"生成{t}镇第{n}居委",
                                       level=AreaLevel.NEIGHBOURHOOD, parent=town)
            hoods.append(hood)
            for g in range(1, scale.grids_per_neighbourhood + 1):
                grids.append(Area.objects.create(
                    code=f"{hood.code}{g:03d}", name=f"生成{t}镇{n}居第{g}网格", level=AreaLevel.GRID, parent=hood,
                    boundary=_rectangle(len(grids), width)))
    return {"district": district, "towns": towns, "neighbourhoods": hoods, "grids": grids}


def centre(grid: Area) -> tuple[float, float]:
    ring = grid.boundary["coordinates"][0]
    return ring[0][0] + CELL / 2, ring[0][1] + CELL / 2


def _user(username: str, role: str, areas=(), departments=()) -> User:
    user = User(username=username, full_name=username)
    user.set_unusable_password()
    user.save()
    user.areas.set(areas)
    user.departments.set(departments)
    UserRole.objects.create(user=user, role=role)
    return user


def make_staff(areas: dict) -> dict:
    departments = []
    for code, name, enforcement in DEPARTMENTS:
        department, _ = Department.objects.get_or_create(code=code, defaults={"name": name,
                                                                              "is_enforcement": enforcement})
        departments.append(department)
    staff = {
        "leader": _user("gen_leader", Role.TOWN_LEADER, [areas["district"]]),
        "cadre": _user("gen_cadre", Role.NEIGHBOURHOOD_CADRE, [areas["neighbourhoods"][0]]),
        "gridworker": _user("gen_grid", Role.GRID_WORKER, [areas["grids"][0]]),
        "officer": _user("gen_officer", Role.DEPARTMENT_OFFICER, [], [departments[0]]),
        "inspectors": [_user(f"gen_inspector{t + 1}", Role.INSPECTOR, [town])
                       for t, town in enumerate(areas["towns"])],
    }
    return {"departments": departments, **staff}
