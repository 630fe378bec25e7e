"""A 100,000-row premises ledger through `wangge import premises`, against the raw floor.

The floor is what no importer can beat on this machine and database: read the same file with
python-calamine and insert the same cell values into a plain table with executemany (SQLite) or
COPY (PostgreSQL), with no checks, no encryption and no audit trail. Wangge's import reads,
validates every cell, places each premises on its road segment, encrypts and hashes the contact
phone, writes an audit entry per row, and does it all in one transaction.

    .venv/bin/python benchmarks/import_bench.py [--rows 100000] [--db sqlite|postgresql|both]

Each database runs in a child process on a throw-away database (a temp SQLite file; a temporary
PostgreSQL database at 127.0.0.1:5432, dropped afterwards).
"""

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def make_ledger(rows: int, path: Path) -> None:
    from openpyxl import Workbook

    from wangge.places.demo import ROADS

    rng = random.Random(100_000)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("场所")
    sheet.append(["名称", "类别", "地址", "重点场所", "联系电话", "开门时间", "关门时间", "场所码", "从业人员数"])
    categories = ["餐饮", "沿街商铺", "美容美发", "商超", "宾馆", "娱乐场所"]
    for n in range(rows):
        road = rng.choice(ROADS)
        sheet.append([f"测试店{n}", rng.choice(categories), f"{road}{rng.randrange(1, 600)}号{n}室", "是",
                      f"139{rng.randrange(10**8):08d}", "09:00", rng.choice(["21:00", "02:00", "17:00"]),
                      "已张贴", str(rng.randrange(1, 50))])
    book.save(path)


def child(db: str, rows: int) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from wangge.core import audit
    from wangge.core.demo import load as load_town
    from wangge.places.demo import load as load_places

    call_command("migrate", verbosity=0)
    with audit.audit_context(request_id="bench"):
        load_places(load_town())
    ledger = Path(os.environ["WANGGE_VAR_DIR"]) / "premises.xlsx"
    make_ledger(rows, ledger)

    started = time.perf_counter()
    call_command("import", "premises", str(ledger), stdout=io.StringIO())
    wangge_s = time.perf_counter() - started
    from wangge.places.models import Premises

    imported = Premises.objects.count() - 401

    started = time.perf_counter()
    cells = CalamineWorkbook.from_path(str(ledger)).get_sheet_by_index(0).to_python()[1:]
    values = [tuple(str(c) for c in row) for row in cells]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor (a text, b text, c text, d text, e text, f text, g text, h text, "
                       "i text)")
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY bench_floor FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            cursor.executemany("INSERT INTO bench_floor VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", values)
    floor_s = time.perf_counter() - started
    return {"db": connection.vendor, "rows": imported, "wangge_s": wangge_s, "floor_s": floor_s}


def run(db: str, rows: int) -> dict:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        env["WANGGE_VAR_DIR"] = tmp
        if db == "postgresql":
            name = f"wangge_bench_{os.getpid()}"
            admin = ["psql", PG_ADMIN_URL, "-q", "-c"]
            subprocess.run([*admin, f"CREATE DATABASE {name}"], check=True)
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        else:
            env.pop("DATABASE_URL", None)
        try:
            out = subprocess.run([sys.executable, __file__, "--child", db, "--rows", str(rows)], env=env,
                                 check=True, capture_output=True, text=True).stdout
        finally:
            if db == "postgresql":
                subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name}"], check=False)
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.rows)))
        return
    for db in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        r = run(db, args.rows)
        wangge_rate, floor_rate = r["rows"] / r["wangge_s"], r["rows"] / r["floor_s"]
        print(f"{r['db']}: {r['rows']:,} premises")
        print(f"  wangge import premises: {r['wangge_s']:7.1f} s  {wangge_rate:9,.0f} rows/s")
        print(f"  raw floor (calamine + {'COPY' if db == 'postgresql' else 'executemany'}): "
              f"{r['floor_s']:7.1f} s  {floor_rate:9,.0f} rows/s")
        print(f"  ratio: {r['wangge_s'] / r['floor_s']:.1f}x the floor")


if __name__ == "__main__":
    main()
