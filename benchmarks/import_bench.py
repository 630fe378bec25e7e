"""`wangge import premises` against the honest floor, with peak memory, at 10k / 100k / 1M rows.

The floor is what no importer can beat on this machine and database, doing the work an import must
do and nothing more: read the same file (python-calamine for a workbook, the csv module for CSV),
encrypt each row's contact phone with Fernet, build one JSON audit row per record, and write both
tables with executemany (SQLite) or COPY (PostgreSQL). No checks, no look-ups, no placing.

A second line writes the floor's rows into Wangge's own premises and audit tables instead of bare
ones: the cost of the premises table's indexes and of the dashboard's roll-up trigger by themselves,
which any import into this schema pays.

Wangge's import reads the file in a capped child, checks every cell, places each premises on its road
segment, encrypts and hashes the phone, writes an audit entry per row, in chunks, in one transaction.

Each step runs in its own process, so its peak RSS (ru_maxrss, the reading child's too) is its own:

    .venv/bin/python benchmarks/import_bench.py [--rows 10000 100000 1000000] [--db sqlite|postgresql|both]
        [--format xlsx|csv]   (default: xlsx up to 200,000 rows, csv above: a 1M-row .xlsx takes minutes to write)

Printed per database and size: floor, import, ratio, peak RSS of each; the same file imported again
(every row unchanged) against a pure read of it (calamine / csv, cells to text, nothing else): the same
bytes (recognised whole, not read) and the same rows saved again as other bytes (read once for the rows'
fingerprint, recognised by it).
"""

import argparse
import csv
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
HEADERS = ["名称", "类别", "地址", "重点场所", "联系电话", "开门时间", "关门时间", "场所码", "从业人员数"]


def ledger_rows(rows: int):
    from wangge.places.demo import ROADS

    rng = random.Random(100_000)
    categories = ["餐饮", "沿街商铺", "美容美发", "商超", "宾馆", "娱乐场所"]
    for n in range(rows):
        road = rng.choice(ROADS)
        yield [f"测试店{n}", rng.choice(categories), f"{road}{rng.randrange(1, 600)}号{n}室", "是",
               f"139{rng.randrange(10**8):08d}", "09:00", rng.choice(["21:00", "02:00", "17:00"]), "已张贴",
               str(rng.randrange(1, 50))]


def save_again(path: Path) -> Path:
    """The same rows in other bytes, as a file saved again: a workbook with a comment in its zip's end
    record, a CSV with a blank line at its end (neither is a row)."""
    copy = path.with_stem(path.stem + "-saved-again")
    shutil.copyfile(path, copy)
    if copy.suffix == ".csv":
        with copy.open("a", encoding="utf-8") as out:
            out.write("\n")
    else:
        with zipfile.ZipFile(copy, "a") as book:
            book.comment = b"saved again"
    return copy


def make_ledger(rows: int, path: Path) -> None:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(HEADERS)
            writer.writerows(ledger_rows(rows))
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("场所")
    sheet.append(HEADERS)
    for row in ledger_rows(rows):
        sheet.append(row)
    book.save(path)


def read_cells(path: Path):
    """The pure read: every row of the file as text, nothing else."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as text:
            yield from _skip_first(csv.reader(text))
        return
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()
    next(rows)
    for row in rows:
        yield [str(c) for c in row]


def _skip_first(rows):
    next(rows)
    yield from rows


def _setup_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def step_setup(path: Path, rows: int) -> dict:
    from django.core.management import call_command

    from wangge.core import audit
    from wangge.core.demo import load as load_town
    from wangge.places.demo import load as load_places

    call_command("migrate", verbosity=0)
    with audit.audit_context(request_id="bench"):
        load_places(load_town())
    started = time.perf_counter()
    make_ledger(rows, path)
    return {"generate_s": time.perf_counter() - started, "bytes": path.stat().st_size}


def step_import(path: Path, rows: int) -> dict:
    from django.core.management import call_command

    from wangge.places.models import Premises

    before = Premises.objects.count()
    out = io.StringIO()
    started = time.perf_counter()
    call_command("import", "premises", str(path), stdout=out)
    seconds = time.perf_counter() - started
    return {"s": seconds, "created": Premises.objects.count() - before, "out": out.getvalue().strip()}


def step_floor(path: Path, rows: int) -> dict:
    from django.db import connection, transaction

    from wangge.core import crypto

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor (id integer, a text, b text, c text, d text, e text, f text, "
                       "g text, h text, i text)")
        cursor.execute("CREATE TABLE bench_floor_audit (id integer, object_id text, changes text)")
        batch, audit_batch = [], []

        def flush():
            if connection.vendor == "postgresql":
                with cursor.cursor.copy("COPY bench_floor FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
                with cursor.cursor.copy("COPY bench_floor_audit FROM STDIN") as copy:
                    for row in audit_batch:
                        copy.write_row(row)
            else:
                cursor.executemany("INSERT INTO bench_floor VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", batch)
                cursor.executemany("INSERT INTO bench_floor_audit VALUES (%s, %s, %s)", audit_batch)
            batch.clear()
            audit_batch.clear()

        for n, cells in enumerate(read_cells(path), start=1):
            cells[4] = crypto.encrypt(cells[4])
            batch.append((n, *cells))
            audit_batch.append((n, str(n), json.dumps(dict(zip(HEADERS, cells, strict=False)), ensure_ascii=False)))
            if len(batch) == 10_000:
                flush()
        flush()
    return {"s": time.perf_counter() - started}


PREMISES_COLUMNS = ("id", "created_at", "updated_at", "version", "name", "category_id", "is_key", "address",
                    "address_road", "address_key", "grid_id", "credit_code", "licence_number", "operator",
                    "contact_name", "contact_phone", "contact_phone_hash", "contact_phone_masked", "opens_at",
                    "closes_at", "shift", "venue_code_status", "venue_code_number", "staff_count", "status",
                    "status_basis", "notes")
AUDIT_COLUMNS = ("id", "at", "actor_name", "request_id", "action", "content_type_id", "object_id", "object_repr",
                 "changes")


def step_floor_tables(path: Path, rows: int) -> dict:
    """The floor's work written into Wangge's own two tables instead of bare ones: what the premises
    table's indexes and the dashboard's roll-up trigger cost by themselves. Rows go in as the import
    writes them (1,000-row INSERTs on SQLite, COPY on PostgreSQL); they are deleted afterwards, untimed."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from wangge.core import crypto
    from wangge.core.models import Area
    from wangge.places.models import Premises, PremisesCategory

    grid = Area.objects.filter(level="grid").values_list("pk", flat=True).first()
    category = PremisesCategory.objects.values_list("pk", flat=True).first()
    content_type = ContentType.objects.get_for_model(Premises).pk
    now = "2026-12-07 08:00:00"

    def write(cursor, table, columns, batch):
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
            return
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(batch), 1000):
            part = batch[start:start + 1000]
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * len(part))}",
                           [v for row in part for v in row])

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0), (SELECT COALESCE(MAX(id), 0) FROM core_auditentry) "
                       "FROM places_premises")
        first, first_entry = cursor.fetchone()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        batch, audit_batch = [], []
        for n, cells in enumerate(read_cells(path), start=1):
            name, _category, address, _key, phone, opens, closes, _code, staff = cells
            pk = first + n
            batch.append((pk, now, now, 1, name, category, True, address, "", f"{name}@{address}", grid, "", "", "",
                          "", crypto.encrypt(phone), "", "", opens, closes, "both", "posted", "", int(staff), "open",
                          "", ""))
            audit_batch.append((first_entry + n, now, "bench", "", "create", content_type, str(pk), name,
                                json.dumps(dict(zip(HEADERS, cells, strict=False)), ensure_ascii=False)))
            if len(batch) == 10_000:
                write(cursor, "places_premises", PREMISES_COLUMNS, batch)
                write(cursor, "core_auditentry", AUDIT_COLUMNS, audit_batch)
                batch.clear()
                audit_batch.clear()
        write(cursor, "places_premises", PREMISES_COLUMNS, batch)
        write(cursor, "core_auditentry", AUDIT_COLUMNS, audit_batch)
    seconds = time.perf_counter() - started
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the trail is append-only (a trigger): a superuser steps past it
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM places_premises WHERE id > %s", [first])
        cursor.execute("DELETE FROM core_auditentry WHERE id > %s", [first_entry])
        cursor.execute("DELETE FROM dashboard_stalegrid")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE places_premises")
            cursor.execute("VACUUM ANALYZE core_auditentry")
    return {"s": seconds}


def step_read(path: Path, rows: int) -> dict:
    started = time.perf_counter()
    count = sum(1 for _row in read_cells(path))
    return {"s": time.perf_counter() - started, "rows": count}


STEPS = {"setup": step_setup, "import": step_import, "floor": step_floor, "floor_tables": step_floor_tables,
         "read": step_read}


def _load_code() -> None:
    """The code every step may run, loaded before any clock starts, as in a server that has it loaded:
    loading the import command with the ledger kinds took 0.14 s, most of a recognised 10,000-row file's
    import (0.02 s once loaded), against a read that loads calamine alone."""
    import importlib

    importlib.import_module("python_calamine")
    importlib.import_module("wangge.core.management.commands.import")
    from wangge.core.tabular.kinds import get_kind

    get_kind("premises")


def child(step: str, path: Path, rows: int) -> None:
    _setup_django()
    _load_code()
    outcome = STEPS[step](path, rows)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the capped reading child, if any
    print(json.dumps({**outcome, "rss_mb": own / 1024, "reader_rss_mb": reader / 1024}))


def run_step(step: str, env: dict, path: Path, rows: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", step, "--file", str(path), "--rows", str(rows)],
                          env=env, check=False, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{step} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(db: str, rows: int, fmt: str) -> dict:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        env["WANGGE_VAR_DIR"] = tmp
        env["IMPORT_MAX_ROWS"] = str(max(rows, 1_000_000))
        path = Path(tmp) / f"premises.{fmt}"
        name = f"wangge_bench_{os.getpid()}"
        admin = ["psql", PG_ADMIN_URL, "-q", "-c"]
        if db == "postgresql":
            subprocess.run([*admin, f"CREATE DATABASE {name}"], check=True)
            env["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
        else:
            env.pop("DATABASE_URL", None)
        try:
            results = {"setup": run_step("setup", env, path, rows)}
            for step in ("floor", "floor_tables", "import", "read"):
                results[step] = run_step(step, env, path, rows)
            results["again"] = run_step("import", env, path, rows)
            results["resaved"] = run_step("import", env, save_again(path), rows)
        finally:
            if db == "postgresql":
                subprocess.run([*admin, f"DROP DATABASE IF EXISTS {name}"], check=False)
    return results


def report(db: str, rows: int, fmt: str, r: dict) -> None:
    floor, imp, read, again = r["floor"], r["import"], r["read"], r["again"]
    print(f"{db}: {rows:,} premises, {fmt} {r['setup']['bytes'] / 1e6:.1f} MB; load {os.getloadavg()[0]:.2f}")
    print(f"  honest floor (read + Fernet + JSON audit row + {'COPY' if db == 'postgresql' else 'executemany'}):"
          f" {floor['s']:7.1f} s  {rows / floor['s']:9,.0f} rows/s  peak {floor['rss_mb']:6.0f} MB")
    print(f"  wangge import premises:  {imp['s']:7.1f} s  {rows / imp['s']:9,.0f} rows/s  peak {imp['rss_mb']:6.0f} MB"
          f" (reader child {imp['reader_rss_mb']:.0f} MB)  created {imp['created']:,}")
    print(f"  ratio: {imp['s'] / floor['s']:.2f}x the floor")
    tables = r["floor_tables"]
    print(f"  the floor into Wangge's own tables (their indexes, the roll-up trigger): {tables['s']:7.1f} s"
          f" ({tables['s'] / floor['s']:.2f}x the floor); the import is {imp['s'] / tables['s']:.2f}x this")
    print(f"  same file again: {again['s']:7.2f} s ({again['out']}); pure read {read['s']:.2f} s; "
          f"ratio {again['s'] / read['s']:.2f}x; peak {again['rss_mb']:.0f} MB")
    resaved = r["resaved"]
    print(f"  the same rows saved again (other bytes): {resaved['s']:7.2f} s ({resaved['out']}); "
          f"ratio {resaved['s'] / read['s']:.2f}x the pure read; peak {resaved['rss_mb']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000])
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--format", choices=["xlsx", "csv"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.file), args.rows[0])
        return
    for rows in args.rows:
        fmt = args.format or ("xlsx" if rows <= 200_000 else "csv")
        for db in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
            report(db, rows, fmt, measure(db, rows, fmt))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
