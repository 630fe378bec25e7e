"""The four big lists at district scale, against the same page in raw SQL.

Generates the district (`wangge generate --scale district`: 1,000 grids, 100,000 premises, 200,000
residents, 500,000 inspections, 50,000 work orders; bulk inserts, about two minutes) into a throw-away
database, then times, as the district's leader (sees everything) and as a neighbourhood cadre (one
neighbourhood of 200), through Django's test client (the whole request: session, visibility, filter
options, count, page, template): the first page, page 500 (the last page when there are fewer) and a
filtered search of the premises, residents, work orders and inspections lists. Beside each, the raw
floor: the same count and the same page of rows written by hand in SQL (scope by the area path, the
same order, LIMIT/OFFSET), on the same database. Median of 5 runs after one warm-up; queries per
request are printed too.

    .venv/bin/python benchmarks/lists_bench.py [--db sqlite|postgresql|both] [--keep]

Each database runs in a child process: a temp SQLite file, or a temporary PostgreSQL database
(wangge_lists_bench at 127.0.0.1:5432), dropped afterwards. `--keep` keeps both (SQLite in
/tmp/lists-bench-sqlite) and reuses them when they already hold the district: for timing changes.
"""

import argparse
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
PG_NAME = "wangge_lists_bench"
KEEP_DIR = "/tmp/lists-bench-sqlite"  # noqa: S108  (a bench on the developer's machine)
RUNS = 5
PAGE = 50

# (list, url, raw select, raw from+where, raw order) — the raw page is the list's own columns.
LISTS = [
    ("premises", "/premises/",
     "p.id, p.name, p.address, p.status, p.venue_code_status, p.shift, p.is_key, p.credit_code, p.updated_at, "
     "c.name, g.name, s.road",
     "places_premises p JOIN core_area g ON g.id = p.grid_id JOIN places_premisescategory c ON c.id = p.category_id "
     "LEFT JOIN places_roadsegment s ON s.id = p.segment_id WHERE g.path LIKE %(p)s",
     "p.name, p.id", {"q": "p.name LIKE %(q)s AND p.status = 'open'"}, "?q=王记&status=open"),
    ("residents", "/residents/",
     "r.id, r.name, r.id_number_masked, r.phone_masked, r.sex, r.birth_date, r.address, r.status, g.name",
     "community_resident r JOIN core_area g ON g.id = r.grid_id WHERE r.merged_into_id IS NULL AND g.path LIKE %(p)s",
     "r.grid_id, r.name, r.id", {"q": "r.name LIKE %(q)s"}, "?q=王伟"),
    ("work orders", "/workorders/",
     "w.id, w.title, w.kind, w.state, w.deadline, w.overdue_level, g.name, d.name",
     "workorders_workorder w JOIN core_area g ON g.id = w.grid_id LEFT JOIN core_department d "
     "ON d.id = w.department_id WHERE g.path LIKE %(p)s",
     "w.id DESC", {"q": "w.title LIKE %(q)s AND w.state <> 'closed'"}, "?q=王记&state=open"),
    ("inspections", "/inspections/records/",
     "i.id, i.inspected_at, i.outcome, i.kind, i.shift, g.name, c.name",
     "inspections_inspection i JOIN core_area g ON g.id = i.grid_id JOIN inspections_campaign c "
     "ON c.id = i.campaign_id WHERE g.path LIKE %(p)s",
     "i.inspected_at DESC, i.id DESC", {"q": "i.outcome = 'rectification'"}, "?outcome=rectification"),
]


class Counter:
    """Counts the statements a request runs (an execute wrapper)."""

    n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def timed(fn, runs=RUNS) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def child(keep: bool) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from wangge.core.models import User

    call_command("migrate", verbosity=0)
    generate_s = None
    if not (keep and User.objects.filter(username="gen_leader").exists()):
        started = time.perf_counter()
        call_command("generate", "--scale", "district", stdout=io.StringIO())
        generate_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")

    results = []
    for who in ("gen_leader", "gen_cadre"):
        user = User.objects.get(username=who)
        client = Client()
        client.force_login(user)
        for spec in LISTS:
            results.extend(measure(connection, client, user, spec))
    return {"db": connection.vendor, "generate_s": generate_s, "results": results}


def measure(connection, client, user, spec) -> list[dict]:
    name, url, columns, source, order, search, query = spec
    params = {"p": user.area_paths[0] + "%",
              "q": "%" + (query.split("q=")[1].split("&")[0] if "q=" in query else "") + "%"}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {source}", params)
        total = cursor.fetchone()[0]
    far = min(500, max(1, -(-total // PAGE)))
    results = []
    for case, suffix, where, page in (("first page", "", "", 1), (f"page {far}", f"?page={far}", "", far),
                                      ("search", query, search["q"], 1)):
        target = url + suffix
        sql_from = source + (f" AND {where}" if where else "")

        def request(target=target):
            response = client.get(target)
            assert response.status_code == 200, (target, response.status_code)

        def raw(sql_from=sql_from, page=page):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {sql_from}", params)
                cursor.fetchone()
                cursor.execute(f"SELECT {columns} FROM {sql_from} ORDER BY {order} "
                               f"LIMIT {PAGE} OFFSET {(page - 1) * PAGE}", params)
                cursor.fetchall()

        request()
        executed = Counter()
        with connection.execute_wrapper(executed):
            request()
        results.append({"user": user.username, "list": name, "case": case, "ms": timed(request),
                        "raw_ms": timed(raw), "queries": executed.n, "rows": total})
    return results


def run(db: str, keep: bool) -> dict:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        env["WANGGE_VAR_DIR"] = KEEP_DIR if keep else tmp
        admin = ["psql", PG_ADMIN_URL, "-q", "-c"]
        if db == "postgresql":
            exists = subprocess.run(["psql", PG_ADMIN_URL, "-tAc",
                                     f"SELECT 1 FROM pg_database WHERE datname='{PG_NAME}'"],
                                    capture_output=True, text=True).stdout.strip()
            if not (keep and exists):
                subprocess.run([*admin, f"DROP DATABASE IF EXISTS {PG_NAME}"], check=True)
                subprocess.run([*admin, f"CREATE DATABASE {PG_NAME}"], check=True)
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_NAME
        else:
            env.pop("DATABASE_URL", None)
        try:
            out = subprocess.run([sys.executable, __file__, "--child", *(["--keep"] if keep else [])], env=env,
                                 check=True, capture_output=True, text=True).stdout
        finally:
            if db == "postgresql" and not keep:
                subprocess.run([*admin, f"DROP DATABASE IF EXISTS {PG_NAME}"], check=False)
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the generated databases")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.keep)))
        return
    for db in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        r = run(db, args.keep)
        generated = f", generated in {r['generate_s']:.0f} s" if r["generate_s"] else " (kept database)"
        print(f"{r['db']}: district scale{generated}")
        print(f"  {'user':10} {'list':12} {'case':11} {'rows':>7} {'Wangge':>9} {'raw SQL':>9} {'ratio':>6} queries")
        for x in r["results"]:
            print(f"  {x['user'][4:]:10} {x['list']:12} {x['case']:11} {x['rows']:7d} {x['ms']:7.1f}ms "
                  f"{x['raw_ms']:7.1f}ms {x['ms'] / x['raw_ms']:5.1f}x {x['queries']:4d}")
        worst = max(x["ms"] for x in r["results"])
        print(f"  slowest request: {worst:.1f} ms")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
