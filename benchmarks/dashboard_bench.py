"""The dashboard's data endpoint and the big screen at district scale: from the per-grid roll-up, against the
old path (every figure counted from the source tables: DASHBOARD_ROLLUP=False) and the same aggregates in raw SQL.

Generates the district (`wangge generate --scale district`: 100,000 premises, 500,000 inspections,
200,000 residents, 50,000 work orders) into a throw-away database, then times, for the district's
leader (who sees everything in it): GET /dashboard/data.json through Django's test client (the whole
request: session, providers, visibility, JSON) and the same aggregates written by hand in SQL on the
same database (the campaign's tasks, outcomes, shifts, orders, suspensions, shutdowns, people,
coverage by grid; work orders by kind and department and the overdue list; premises by status and
risk band; scan flags and ladder steps; enterprises and demands; residents). Prints both and the ratio.
Then, for the leader and for a neighbourhood cadre: data.json and screen.json (the screen's 30 s cache cleared
before each request, and once served from it) from the roll-up and by the old path, with the ratio; and what
the roll-up itself costs (its first run over every grid, and a refresh after 10 grids changed).

    .venv/bin/python benchmarks/dashboard_bench.py [--scale district|town] [--db sqlite|postgresql|both] [--keep]

Each database runs in a child process: a temp SQLite file, or a temporary PostgreSQL database
(wangge_dashboard_bench at 127.0.0.1:5432), dropped afterwards.
"""

import argparse
import datetime
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "wangge_dashboard_bench"
RUNS = 15
OLD_RUNS = 5  # the old path takes seconds at district scale

IN_SCOPE = "JOIN places_premises p ON p.id = x.premises_id JOIN core_area g ON g.id = p.grid_id"
RAW = [
    # The campaign: its tasks, outcomes, shifts, orders, passes, suspensions, shutdowns, people, coverage.
    ("SELECT COUNT(*), SUM(CASE WHEN x.state = 'done' THEN 1 ELSE 0 END) FROM inspections_task x "
     f"{IN_SCOPE} WHERE x.campaign_id = %(c)s AND x.reason <> 'reinspection' AND g.path LIKE %(p)s"),
    ("SELECT x.outcome, COUNT(*) FROM inspections_inspection x "
     f"{IN_SCOPE} WHERE x.campaign_id = %(c)s AND x.kind = 'routine' AND g.path LIKE %(p)s GROUP BY x.outcome"),
    ("SELECT x.shift, COUNT(*) FROM inspections_inspection x "
     f"{IN_SCOPE} WHERE x.campaign_id = %(c)s AND g.path LIKE %(p)s GROUP BY x.shift"),
    ("SELECT COUNT(*), SUM(CASE WHEN w.state <> 'closed' THEN 1 ELSE 0 END), "
     "SUM(CASE WHEN w.state <> 'closed' AND w.deadline < %(today)s THEN 1 ELSE 0 END) FROM workorders_workorder w "
     f"WHERE w.id IN (SELECT x.work_order_id FROM inspections_inspection x {IN_SCOPE} "
     "WHERE x.campaign_id = %(c)s AND x.work_order_id IS NOT NULL AND g.path LIKE %(p)s)"),
    (f"SELECT COUNT(DISTINCT x.work_order_id) FROM inspections_inspection x {IN_SCOPE} "
     "WHERE x.campaign_id = %(c)s AND x.kind = 'reinspection' AND x.outcome IN ('compliant', 'fixed') "
     "AND g.path LIKE %(p)s"),
    (f"SELECT COUNT(DISTINCT x.premises_id) FROM inspections_inspection x {IN_SCOPE} "
     "WHERE x.campaign_id = %(c)s AND x.kind = 'routine' AND x.outcome = 'rectification' AND x.suspended "
     "AND g.path LIKE %(p)s"),
    (f"SELECT COUNT(DISTINCT x.premises_id) FROM inspections_inspection x {IN_SCOPE} "
     "WHERE x.campaign_id = %(c)s AND x.outcome = 'shutdown' AND g.path LIKE %(p)s"),
    (f"SELECT COUNT(*) FROM inspections_inspection x {IN_SCOPE} "
     "WHERE x.campaign_id = %(c)s AND x.kind = 'reinspection' AND g.path LIKE %(p)s"),
    ("SELECT COUNT(DISTINCT ii.user_id) FROM inspections_inspection_inspectors ii "
     f"JOIN inspections_inspection x ON x.id = ii.inspection_id {IN_SCOPE} "
     "WHERE x.campaign_id = %(c)s AND g.path LIKE %(p)s"),
    ("SELECT g.name, COUNT(*), SUM(CASE WHEN x.state = 'done' THEN 1 ELSE 0 END) FROM inspections_task x "
     f"{IN_SCOPE} WHERE x.campaign_id = %(c)s AND x.reason <> 'reinspection' AND g.path LIKE %(p)s "
     "GROUP BY g.name ORDER BY g.name"),
    # Work orders.
    ("SELECT SUM(CASE WHEN w.state <> 'closed' THEN 1 ELSE 0 END), "
     "SUM(CASE WHEN w.state <> 'closed' AND w.overdue_level > 0 THEN 1 ELSE 0 END) FROM workorders_workorder w "
     "JOIN core_area g ON g.id = w.grid_id WHERE g.path LIKE %(p)s"),
    ("SELECT w.kind, SUM(CASE WHEN w.state <> 'closed' THEN 1 ELSE 0 END), "
     "SUM(CASE WHEN w.state <> 'closed' AND w.overdue_level > 0 THEN 1 ELSE 0 END) FROM workorders_workorder w "
     "JOIN core_area g ON g.id = w.grid_id WHERE g.path LIKE %(p)s GROUP BY w.kind ORDER BY w.kind"),
    ("SELECT w.department_id, d.name, SUM(CASE WHEN w.state <> 'closed' THEN 1 ELSE 0 END), "
     "SUM(CASE WHEN w.state <> 'closed' AND w.overdue_level > 0 THEN 1 ELSE 0 END) FROM workorders_workorder w "
     "JOIN core_area g ON g.id = w.grid_id LEFT JOIN core_department d ON d.id = w.department_id "
     "WHERE g.path LIKE %(p)s GROUP BY w.department_id, d.name ORDER BY d.name"),
    ("SELECT w.id, w.title, w.deadline FROM workorders_workorder w JOIN core_area g ON g.id = w.grid_id "
     "WHERE w.state <> 'closed' AND w.overdue_level > 0 AND g.path LIKE %(p)s ORDER BY w.deadline, w.id LIMIT 10"),
    # Premises, risk, scans, ladder.
    ("SELECT p.status, COUNT(*) FROM places_premises p JOIN core_area g ON g.id = p.grid_id "
     "WHERE p.is_key AND g.path LIKE %(p)s GROUP BY p.status"),
    ("SELECT r.band, COUNT(*) FROM places_premises p JOIN core_area g ON g.id = p.grid_id "
     "LEFT JOIN inspections_riskscore r ON r.premises_id = p.id WHERE g.path LIKE %(p)s GROUP BY r.band"),
    ("SELECT COUNT(*) FROM inspections_scancompliance x " + IN_SCOPE + " WHERE x.flagged AND g.path LIKE %(p)s"),
    ("SELECT x.step, COUNT(*) FROM inspections_ladderentry x " + IN_SCOPE
     + " WHERE x.taken_at >= %(since)s AND g.path LIKE %(p)s GROUP BY x.step"),
    # Enterprises and demands.
    ("SELECT COUNT(*) FROM economy_enterprise e JOIN core_area g ON g.id = e.grid_id "
     "WHERE e.status = 'active' AND g.path LIKE %(p)s"),
    ("SELECT COUNT(DISTINCT e.id), COUNT(DISTINCT CASE WHEN v.visited_on > %(since_day)s THEN e.id END) "
     "FROM economy_enterprise e JOIN core_area g ON g.id = e.grid_id "
     "JOIN economy_enterprisevisit v ON v.enterprise_id = e.id WHERE e.status = 'active' AND g.path LIKE %(p)s"),
    ("SELECT w.category, w.state, w.satisfaction, COUNT(*) FROM workorders_workorder w "
     "JOIN core_area g ON g.id = w.grid_id WHERE w.kind = 'demand' AND g.path LIKE %(p)s "
     "GROUP BY w.category, w.state, w.satisfaction"),
    # Residents.
    "SELECT COUNT(*) FROM community_resident r JOIN core_area g ON g.id = r.grid_id WHERE g.path LIKE %(p)s",
]


def timed(fn, runs=RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


def child(scale: str) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from wangge.core.models import User

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("generate", "--scale", scale, stdout=io.StringIO())
    generate_s = time.perf_counter() - started
    started = time.perf_counter()
    call_command("rollup", stdout=io.StringIO())  # what the worker does first: every grid is stale
    rollup_first_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    leader = User.objects.get(username="gen_leader")
    client = Client()
    client.force_login(leader)

    def endpoint():
        response = client.get("/dashboard/data.json")
        assert response.status_code == 200
        return response

    endpoint()  # warm: the session, the templates of nothing, the per-user caches
    with CaptureQueriesContext(connection) as ctx:
        endpoint()
    queries = len(ctx.captured_queries)

    today, month = timezone.localdate(), datetime.timedelta(days=30)
    params = {"p": leader.area_paths[0] + "%", "today": today, "since": timezone.now() - month,
              "since_day": today - month}

    def raw():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM inspections_campaign WHERE kind = 'round' "
                           "ORDER BY starts_on DESC, id DESC LIMIT 1")
            params["c"] = cursor.fetchone()[0]
            for sql in RAW:
                cursor.execute(sql, params)
                cursor.fetchall()

    raw()
    endpoint_ms = timed(endpoint)
    raw_ms = timed(raw)
    return {"db": connection.vendor, "scale": scale, "generate_s": generate_s, "queries": queries,
            "raw_queries": len(RAW) + 1, "endpoint_ms": endpoint_ms, "raw_ms": raw_ms,
            "rollup_first_s": rollup_first_s, "rollup_change_ms": rollup_change(), "users": users()}


def rollup_change() -> float:
    """A refresh after changes in 10 grids (their inspections' shift flipped): what the worker does a minute."""
    from wangge.core.models import Area, AreaLevel
    from wangge.dashboard.rollup.refresh import refresh
    from wangge.inspections.models import Inspection

    grids = list(Area.objects.filter(level=AreaLevel.GRID).order_by("pk").values_list("pk", flat=True)[:10])
    Inspection.objects.filter(grid_id__in=grids, shift="day").update(shift="night")
    started = time.perf_counter()
    assert refresh() == 10
    return (time.perf_counter() - started) * 1000


def users() -> dict:
    """data.json and screen.json for the leader and a neighbourhood cadre, from the roll-up and the old way."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from wangge.core.models import User

    out = {}
    for name in ("gen_leader", "gen_cadre"):
        client = Client()
        client.force_login(User.objects.get(username=name))
        for url in ("/dashboard/data.json", "/dashboard/screen.json"):
            def get(url=url, keep=False, client=client):
                if not keep:
                    cache.clear()  # the screen's shared answer: measured without it, then with it
                response = client.get(url)
                assert response.status_code == 200
                return response

            get()
            with CaptureQueriesContext(connection) as ctx:
                get()
            queries = len(ctx.captured_queries)  # now: the next request resets the log
            row = {"rollup_ms": timed(get), "queries": queries}
            if url.endswith("screen.json"):
                get()
                row["cached_ms"] = timed(lambda url=url: get(url, keep=True))
            with override_settings(DASHBOARD_ROLLUP=False):
                get()
                row["old_ms"] = timed(get, OLD_RUNS)
            out[f"{name} {url}"] = row
    return out


def run(db: str, scale: str, keep: bool = False) -> dict:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        env["WANGGE_VAR_DIR"] = tmp
        admin = ["psql", PG_ADMIN_URL, "-q", "-c"]
        if db == "postgresql":
            subprocess.run([*admin, f"DROP DATABASE IF EXISTS {PG_NAME}"], check=True)
            subprocess.run([*admin, f"CREATE DATABASE {PG_NAME}"], check=True)
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_NAME
        else:
            env.pop("DATABASE_URL", None)
        try:
            out = subprocess.run([sys.executable, __file__, "--child", "--scale", scale], env=env,
                                 check=True, capture_output=True, text=True).stdout
        finally:
            if db == "postgresql" and not keep:
                subprocess.run([*admin, f"DROP DATABASE IF EXISTS {PG_NAME}"], check=False)
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["district", "town"], default="district")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--keep", action="store_true", help=f"keep the PostgreSQL database {PG_NAME} to look into")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.scale)))
        return
    for db in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        r = run(db, args.scale, args.keep)
        (e_med, e_min), (r_med, r_min) = r["endpoint_ms"], r["raw_ms"]
        print(f"{r['db']}: {r['scale']} scale, generated in {r['generate_s']:.0f} s")
        print(f"  GET /dashboard/data.json: {e_med:8.1f} ms median ({e_min:.1f} best), {r['queries']} queries")
        print(f"  same aggregates, raw SQL: {r_med:8.1f} ms median ({r_min:.1f} best), {r['raw_queries']} queries")
        print(f"  ratio:                    {e_med / r_med:8.2f}x")
        print(f"  roll-up: first run over every grid {r['rollup_first_s']:.1f} s, "
              f"refresh after 10 grids changed {r['rollup_change_ms']:.0f} ms")
        for what, row in r["users"].items():
            (new, _), (old, _) = row["rollup_ms"], row["old_ms"]
            cached = f", from the cache {row['cached_ms'][0]:.1f} ms" if "cached_ms" in row else ""
            print(f"  {what:<40} roll-up {new:7.1f} ms ({row['queries']} queries), old path {old:7.1f} ms, "
                  f"{old / new:5.1f}x faster{cached}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
