"""The generated district: towns, neighbourhoods and grids with rectangular boundaries on a lattice,
each town's own departments and routes, and staff (a district leader, a cadre, a grid worker, an
inspector and an administrator per town)."""

from wangge.core.models import Area, AreaLevel, Department, User, UserRole
from wangge.core.roles import Role
from wangge.economy.models import DemandRoute
from wangge.places.models import CategoryRoute
from wangge.reports.models import ReportRoute

DISTRICT_CODE = "310199"  # not a real district: generated data never mixes with a real code
CELL = 0.004  # degrees per grid cell on the lattice
ORIGIN = (121.20, 31.10)
# Every town has the same four units under the same codes and short names (each its own 市场监管所).
DEPARTMENTS = [("SJS", "市场监督管理所", "市场监管所", True), ("AJ", "安全生产办公室", "安监办", True),
               ("CY", "城市运行管理中心", "城运中心", False), ("JW", "规划建设办公室", "规建办", False)]
# Each town routes its categories to its own units (code of the unit; a category left out: by hand).
REGULATORS = {"restaurant": "SJS", "market": "SJS", "supermarket": "SJS", "salon": "SJS", "shop": "SJS",
              "hotel": "AJ", "entertainment": "AJ", "internet_cafe": "AJ", "gym": "AJ", "training": "AJ",
              "express": "CY", "office": "JW"}
DEMANDS = {"permits": "SJS", "premises": "JW", "supply_chain": "CY", "resumption": "AJ"}
REPORTS = {"sanitation": "CY", "street_order": "CY", "roads": "JW", "building": "JW", "food": "SJS",
           "safety": "AJ", "noise": "CY"}


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


def make_departments(towns: list[Area]) -> dict[int, dict[str, Department]]:
    """Each town's departments, and its routing tables pointed at them (the rows exist from the town's
    creation: core/towns.py)."""
    made = Department.objects.bulk_create([
        Department(town=town, code=code, name=f"{town.name}{name}", short_name=short, is_enforcement=enforcement)
        for town in towns for code, name, short, enforcement in DEPARTMENTS])
    of_town: dict[int, dict[str, Department]] = {}
    for department in made:
        of_town.setdefault(department.town_id, {})[department.code] = department
    for model, table, key in ((CategoryRoute, REGULATORS, "category__code"), (DemandRoute, DEMANDS, "category"),
                              (ReportRoute, REPORTS, "category")):
        for town in towns:
            for category, code in table.items():
                model.objects.filter(town=town, **{key: category}).update(department=of_town[town.pk][code])
    return of_town


def make_staff(areas: dict) -> dict:
    of_town = make_departments(areas["towns"])
    departments = [d for town in areas["towns"] for d in of_town[town.pk].values()]
    staff = {
        "leader": _user("gen_leader", Role.TOWN_LEADER, [areas["district"]]),
        "cadre": _user("gen_cadre", Role.NEIGHBOURHOOD_CADRE, [areas["neighbourhoods"][0]]),
        "gridworker": _user("gen_grid", Role.GRID_WORKER, [areas["grids"][0]]),
        "officer": _user("gen_officer", Role.DEPARTMENT_OFFICER, [], [departments[0]]),
        "inspectors": [_user(f"gen_inspector{t + 1}", Role.INSPECTOR, [town])
                       for t, town in enumerate(areas["towns"])],
    }
    staff["town_admins"] = [_user(f"gen_town_admin{t + 1}", Role.TOWN_ADMIN, [town])
                            for t, town in enumerate(areas["towns"])]
    return {"departments": departments, "departments_of_town": of_town, **staff}
