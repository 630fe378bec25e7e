"""The dashboard's figures counted independently, in plain SQL over the source tables, for the grids under one
area path: the oracle the roll-up is checked against (test_rollup.py). Written from the figures' definitions
in docs/DASHBOARD.md, not from the dashboard's code."""

import datetime

from django.db import connection
from django.utils import timezone

GRID = "JOIN core_area g ON g.id = {}.grid_id AND g.path LIKE %(p)s"


def _rows(sql: str, **params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _one(sql: str, **params):
    return _rows(sql, **params)[0][0] or 0


def campaign(campaign_id: int, path: str) -> dict:
    p, c = path + "%", campaign_id
    counted = ("FROM inspections_inspection i JOIN core_area g ON g.id = i.grid_id AND g.path LIKE %(p)s "
               "WHERE i.campaign_id = %(c)s AND i.flag_review <> 'voided'")
    tasks = ("FROM inspections_task t JOIN places_premises pr ON pr.id = t.premises_id "
             "JOIN core_area g ON g.id = pr.grid_id AND g.path LIKE %(p)s "
             "WHERE t.campaign_id = %(c)s AND t.reason <> 'reinspection'")
    in_scope = _one(f"SELECT COUNT(*) {tasks}", p=p, c=c)
    inspected = _one(f"SELECT COUNT(*) {tasks} AND t.state = 'done'", p=p, c=c)
    by_grid = {name: (n, done) for name, n, done in _rows(
        f"SELECT g.name, COUNT(*), SUM(CASE WHEN t.state = 'done' THEN 1 ELSE 0 END) {tasks} GROUP BY g.name",
        p=p, c=c)}
    return {
        "in_scope": in_scope, "inspected": inspected, "not_yet": in_scope - inspected,
        "fixed_on_the_spot": _one(f"SELECT COUNT(*) {counted} AND i.kind = 'routine' AND i.outcome = 'fixed'",
                                  p=p, c=c),
        "rectification_orders": _one(f"SELECT COUNT(*) FROM workorders_workorder WHERE id IN "
                                     f"(SELECT i.work_order_id {counted})", p=p, c=c),
        "shutdowns": len(_rows(f"SELECT DISTINCT i.premises_id {counted} AND i.outcome = 'shutdown'", p=p, c=c)),
        "reinspections": _one(f"SELECT COUNT(*) {counted} AND i.kind = 'reinspection'", p=p, c=c),
        "people": _one(f"SELECT COUNT(DISTINCT ii.user_id) FROM inspections_inspection_inspectors ii WHERE "
                       f"ii.inspection_id IN (SELECT i.id {counted})", p=p, c=c),
        "day": _one(f"SELECT COUNT(*) {counted} AND i.shift = 'day'", p=p, c=c),
        "night": _one(f"SELECT COUNT(*) {counted} AND i.shift = 'night'", p=p, c=c),
        "by_grid": by_grid,
    }


def _local_day(at) -> datetime.date:
    """SQLite hands back its stored UTC times naive, PostgreSQL aware."""
    if isinstance(at, str):
        at = datetime.datetime.fromisoformat(at)
    if timezone.is_naive(at):
        at = at.replace(tzinfo=datetime.UTC)
    return timezone.localtime(at).date()


def _date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _on_time(closed_at, deadline) -> bool:
    return closed_at is not None and _local_day(closed_at) <= _date(deadline)


def orders(path: str) -> dict:
    """Open/overdue by kind and department; the four counts by grid name and department name."""
    rows = _rows("SELECT w.kind, w.department_id, d.name, g.name, w.state, w.overdue_level, w.closed_at, w.deadline "
                 "FROM workorders_workorder w " + GRID.format("w") + " LEFT JOIN core_department d "
                 "ON d.id = w.department_id", p=path + "%")
    by_kind, by_department, rank_grid, rank_department = {}, {}, {}, {}
    for kind, _dept_id, dept, grid, state, level, closed_at, deadline in rows:
        is_open = state != "closed"
        counts = (int(is_open), int(is_open and level > 0), int(not is_open),
                  int(not is_open and _on_time(closed_at, deadline)))
        for table, key in ((by_kind, kind), (by_department, dept or "—"), (rank_grid, grid),
                           (rank_department, dept)):
            if table is rank_department and dept is None:
                continue
            table[key] = tuple(a + b for a, b in zip(table.get(key, (0, 0, 0, 0)), counts, strict=True))
    return {"by_kind": by_kind, "by_department": by_department, "rank_grid": rank_grid,
            "rank_department": rank_department}


def premises(path: str) -> dict:
    p = path + "%"
    status = dict(_rows("SELECT pr.status, COUNT(*) FROM places_premises pr " + GRID.format("pr")
                        + " WHERE pr.is_key GROUP BY pr.status", p=p))
    bands = dict(_rows("SELECT COALESCE(r.band, 'low'), COUNT(*) FROM places_premises pr " + GRID.format("pr")
                       + " LEFT JOIN inspections_riskscore r ON r.premises_id = pr.id GROUP BY 1", p=p))
    flagged = _one("SELECT COUNT(*) FROM inspections_scancompliance s JOIN places_premises pr ON pr.id = s.premises_id "
                   + GRID.format("pr") + " WHERE s.flagged", p=p)
    residents = _one("SELECT COUNT(*) FROM community_resident r " + GRID.format("r"), p=p)
    return {"status": status, "bands": bands, "flagged": flagged, "residents": residents}


def vaccination(path: str, as_of: datetime.date) -> dict:
    """The 60+ register's totals: living, not merged, born 60 years before `as_of` or earlier."""
    try:
        born = as_of.replace(year=as_of.year - 60)
    except ValueError:  # 29 February
        born = as_of.replace(year=as_of.year - 60, day=28)
    rows = _rows("SELECT s.status, s.contraindicated, c.reason, c.until FROM community_resident r "
                 + GRID.format("r") + " LEFT JOIN vaccination_vaccinationstatus s ON s.resident_id = r.id "
                 "LEFT JOIN vaccination_censusanswer c ON c.id = s.census_id "
                 "WHERE r.status = 'living' AND r.merged_into_id IS NULL AND r.birth_date <= %(born)s",
                 p=path + "%", born=born)
    out = {"population": len(rows), "full": 0, "boosted": 0, "census": 0, "contraindicated": 0}
    for status, contraindicated, reason, until in rows:
        full = status in ("full", "boosted")
        out["full"] += full
        out["boosted"] += status == "boosted"
        out["contraindicated"] += bool(contraindicated) and not full
        out["census"] += (not full and reason is not None and not (reason == "temporary" and _date(until) < as_of))
    out["not_full"] = out["population"] - out["full"]
    return out


def trends(path: str, days: list[datetime.date]) -> dict:
    """Per local day: counted inspections, orders opened, orders closed (events), doses not voided."""
    p = path + "%"
    local = lambda rows: [_local_day(at) for (at,) in rows]  # noqa: E731
    series = {
        "inspections": local(_rows("SELECT i.inspected_at FROM inspections_inspection i " + GRID.format("i")
                                   + " WHERE i.flag_review <> 'voided'", p=p)),
        "orders_opened": local(_rows("SELECT w.created_at FROM workorders_workorder w " + GRID.format("w"), p=p)),
        "orders_closed": local(_rows("SELECT e.at FROM workorders_workorderevent e JOIN workorders_workorder w "
                                     "ON w.id = e.order_id " + GRID.format("w") + " WHERE e.to_state = 'closed'",
                                     p=p)),
        "doses": [_date(d) for (d,) in _rows(
            "SELECT v.given_on FROM vaccination_dose v JOIN community_resident r ON r.id = v.resident_id "
            + GRID.format("r") + " WHERE v.voided_at IS NULL", p=p)],
    }
    return {key: [values.count(day) for day in days] for key, values in series.items()}
