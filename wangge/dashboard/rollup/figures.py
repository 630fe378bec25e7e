"""The dashboard's figures read from the roll-up, in the shapes the direct counts return (so providers
build their sections the same way from either)."""

from django.db.models import Max, Min, Sum

from wangge.inspections.choices import Outcome, Shift
from wangge.places.choices import RiskBand

from ..models import GridFigure
from .read import Rollup, grid_names, naturally


def campaign_summary(rollup: Rollup, campaign) -> dict:
    """The figures of inspections.summary.campaign_summary that the dashboard shows."""
    c = campaign.pk
    sums = rollup.sums(f"task:{c}:", f"insp:{c}:")
    distinct = rollup.distinct(f"insp:{c}:")
    in_scope, inspected = sums.get(f"task:{c}:in_scope", 0), sums.get(f"task:{c}:done", 0)
    return {"in_scope": in_scope, "inspected": inspected, "not_yet": in_scope - inspected,
            "fixed_on_the_spot": sums.get(f"insp:{c}:routine:{Outcome.FIXED}", 0),
            "rectification_orders": distinct.get(f"insp:{c}:orders", 0),
            "shutdowns": distinct.get(f"insp:{c}:shutdowns", 0),
            "reinspections": sums.get(f"insp:{c}:reinspections", 0),
            "people_deployed": distinct.get(f"insp:{c}:people", 0),
            "day_inspections": sums.get(f"insp:{c}:shift:{Shift.DAY}", 0),
            "night_inspections": sums.get(f"insp:{c}:shift:{Shift.NIGHT}", 0)}


def coverage_by_grid(rollup: Rollup, campaign) -> list[dict]:
    """inspections.summary.coverage(campaign, user, "grid"): grids with tasks, grouped by their name."""
    c = campaign.pk
    per_grid = rollup.by_grid(f"task:{c}:in_scope", f"task:{c}:done")
    names = grid_names(per_grid)
    by_name: dict = {}
    for grid, values in per_grid.items():
        row = by_name.setdefault(names[grid], {"in_scope": 0, "inspected": 0})
        row["in_scope"] += values.get(f"task:{c}:in_scope", 0)
        row["inspected"] += values.get(f"task:{c}:done", 0)
    rows = naturally(by_name.items(), lambda item: item[0])
    return [{"label": name or "—", "key": name, "in_scope": r["in_scope"], "inspected": r["inspected"],
             "not_yet": r["in_scope"] - r["inspected"],
             "percent": round(100 * r["inspected"] / r["in_scope"]) if r["in_scope"] else 0}
            for name, r in rows if r["in_scope"]]


def order_counts(rollup: Rollup, family: str) -> dict[str, dict[str, int]]:
    """{kind or department id: {open, overdue, closed, on_time}} of the work orders (family "kind" or "dept")."""
    out: dict[str, dict[str, int]] = {}
    for key, n in rollup.sums(f"wo:{family}:").items():
        _wo, _family, group, measure = key.split(":")
        out.setdefault(group, {"open": 0, "overdue": 0, "closed": 0, "on_time": 0})[measure] = n
    return out


def orders_by_grid(rollup: Rollup) -> list[dict]:
    """Per grid with orders: grid_id, grid__name and the four counts (screen rankings)."""
    per_grid = rollup.by_grid("wo:kind:")
    names = grid_names(per_grid)
    rows = []
    for grid, values in per_grid.items():
        row = {"grid_id": grid or None, "grid__name": names[grid], "open": 0, "overdue": 0, "closed": 0,
               "on_time": 0}
        for key, n in values.items():
            row[key.rsplit(":", 1)[1]] += n
        rows.append(row)
    return rows


def premises_by_status(rollup: Rollup) -> dict[str, int]:
    return {key.rsplit(":", 1)[1]: n for key, n in rollup.sums("prem:key:").items()}


def risk(rollup: Rollup) -> dict:
    sums = rollup.sums("prem:risk:", "prem:scan_flagged")
    return {"bands": [{"band": b, "label": str(label), "count": sums.get(f"prem:risk:{b}", 0)}
                      for b, label in RiskBand.choices],
            "flagged_by_scans": sums.get("prem:scan_flagged", 0)}


def residents(rollup: Rollup) -> int:
    return rollup.sums("res:count").get("res:count", 0)


def round_sizes(campaign_ids) -> dict[int, int]:
    """Tasks in scope of each round, all grids (rounds.pick's default: the largest)."""
    keys = {f"task:{c}:in_scope": c for c in campaign_ids}
    rows = GridFigure.objects.filter(key__in=keys, part=0).order_by().values_list("key").annotate(n=Sum("value"))
    return {keys[k]: n for k, n in rows}


VACCINATION = ("population", "first", "full", "boosted", "contraindicated", "census")


def vaccination_total(rollup: Rollup, as_of):
    """vaccination.services.coverage.total(user, as_of) from the roll-up, or None when `as_of` falls outside
    the birth days it counts exactly (then count directly)."""
    from wangge.vaccination.services.coverage import Row
    from wangge.vaccination.services.status import born_by

    born = born_by(as_of)
    rows = rollup.rows().filter(key__startswith="vacc:")
    window = rows.filter(key="vacc:window").aggregate(first=Max("day"), last=Min("part"))
    if window["first"] is None or born < window["first"] or born.toordinal() > window["last"]:
        return None
    sums = dict(rows.filter(key__in=[f"vacc:{m}" for m in VACCINATION], day__lte=born, part=0)
                .values_list("key").annotate(n=Sum("value")))
    holding = rows.filter(key="vacc:census_until", day__lte=born, part__gte=as_of.toordinal()) \
        .aggregate(n=Sum("value"))["n"] or 0
    counts = [sums.get(f"vacc:{m}", 0) for m in VACCINATION]
    counts[-1] += holding
    return Row("total", "", *counts, params={})
