"""Import a large residents ledger (default 100,000 rows) and compare with plain SQL inserts.

Prints the time to read the file, check every row, and write them through the services (each row
encrypted, hashed, audited), against a baseline that inserts the same rows with executemany and no
checks at all. Uses a throw-away SQLite database unless DATABASE_URL is set.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("WANGGE_VAR_DIR", tmp)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
        import django

        django.setup()
        import datetime
        import random

        from django.core.management import call_command
        from django.db import connection
        from openpyxl import Workbook

        from wangge.community.demo import SURNAMES, synthetic_id_number
        from wangge.core.demo import load
        from wangge.core.models import Area, AreaLevel, User
        from wangge.core.tabular.importer import run_import
        from wangge.core.tabular.kinds import get_kind

        call_command("migrate", verbosity=0)
        load()
        grids = list(Area.objects.filter(level=AreaLevel.GRID).values_list("code", flat=True))
        rng = random.Random(7)
        book = Workbook(write_only=True)
        sheet = book.create_sheet("居民")
        sheet.append(["姓名", "身份证号", "电话", "网格", "地址"])
        seen, rows = set(), []
        while len(rows) < args.rows:
            born = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 90))
            number = synthetic_id_number(rng, born, rng.random() < 0.5)
            if number in seen:
                continue
            seen.add(number)
            row = [rng.choice(SURNAMES) + "某", number, f"139{rng.randrange(10**8):08d}", rng.choice(grids),
                   f"林泉路{rng.randrange(1, 999)}号"]
            rows.append(row)
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        data = buffer.getvalue()
        admin = User.objects.get(username="admin")
        print(f"{args.rows} rows, {len(data) / 1e6:.1f} MB xlsx, {connection.vendor}")

        started = time.perf_counter()
        result = run_import(get_kind("residents"), data, "residents.xlsx", admin, dry_run=False)
        wangge_s = time.perf_counter() - started
        assert result.ok and result.created == args.rows, (result.file_error, result.errors[:3])
        print(f"  Wangge import (read, check, encrypt, audit, write): {wangge_s:6.1f} s "
              f"({args.rows / wangge_s:,.0f} rows/s)")

        started = time.perf_counter()
        again = run_import(get_kind("residents"), data, "residents.xlsx", admin, dry_run=False)
        print(f"  same file again (all unchanged):                    {time.perf_counter() - started:6.1f} s "
              f"(unchanged {again.unchanged})")

        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_raw (name text, id_number text, phone text, grid text, address text)")
            started = time.perf_counter()
            cursor.executemany("INSERT INTO bench_raw VALUES (%s, %s, %s, %s, %s)", rows)
            raw_s = time.perf_counter() - started
        print(f"  raw SQL executemany, no checks:                     {raw_s:6.1f} s")
        print(f"  ratio:                                              {wangge_s / raw_s:6.1f}x")


if __name__ == "__main__":
    main()
