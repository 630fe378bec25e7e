import datetime

from wangge.workorders import services
from wangge.workorders.choices import Kind

TODAY = datetime.date(2022, 7, 11)  # a Monday


def raise_order(world, kind=Kind.RECTIFICATION, grid="linquan1", department="market", assignee="gridworker",
                actor="admin", **extra):
    return services.raise_order(
        world.users[actor], kind=kind, title=f"整改 {grid}", grid=world.grids[grid],
        department=world.departments[department] if department else None,
        assignee=world.users[assignee] if assignee else None, today=TODAY, **extra)
