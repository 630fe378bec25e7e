"""Which department a rectification goes to: the unit that enforces the violated items.

A fire-safety violation at a restaurant is the fire brigade's, not market supervision's, although
restaurants belong to market supervision. Each checklist item may name its regulating unit, else its
checklist does, else it counts for the premises category's unit. When the violated items belong to several
units, the unit of the most severe violations takes the order (then the one with most items, then the
first item in checklist order); the order's description lists every item, so nothing is dropped.
"""

from wangge.core.models import Department

from .choices import Severity

_WEIGHT = {Severity.CRITICAL: 3, Severity.MAJOR: 2, Severity.MINOR: 1}


def unit_of(item) -> Department | None:
    """The regulating unit of one checklist item, or None when neither it nor its checklist names one."""
    return item.department or item.checklist.department


def rectification_department(items, fallback: Department | None, town_id: int | None = None) -> Department | None:
    """The unit that takes the rectification of these violated items (see the module's rule). Checklists
    serve every town: a unit they name counts only in its own town (`town_id`, the premises'); elsewhere
    the item counts for the fallback, the category's unit of that town (docs/TOWNS.md)."""
    ranked: dict[int, tuple[int, int, int, Department]] = {}
    for position, item in enumerate(sorted(items, key=lambda i: i.order)):
        unit = unit_of(item)
        if unit is not None and town_id is not None and unit.town_id != town_id:
            unit = None
        unit = unit or fallback
        if unit is None:
            continue
        worst, count, first, _unit = ranked.get(unit.pk, (0, 0, position, unit))
        ranked[unit.pk] = (max(worst, _WEIGHT.get(item.severity, 0)), count + 1, first, unit)
    if not ranked:
        return fallback
    return max(ranked.values(), key=lambda r: (r[0], r[1], -r[2]))[3]
