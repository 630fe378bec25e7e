"""How much `visible_to(user)` costs on the residents list, against the same rows by plain SQL.

Builds a town of 35 neighbourhoods x 3 grids and N residents in a temporary database, then times,
for a neighbourhood cadre: the first page (50 rows) and the count through the ORM with
visible_to, and the same query written by hand.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup(tmp: str) -> None:
    os.environ.setdefault("WANGGE_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def best_of(fn, runs=20) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp)
        from django.db import connection

        from wangge.community.demo import SURNAMES, synthetic_id_number
        from wangge.community.models import Resident
        from wangge.core.demo import LINQUAN, load
        from wangge.core.models import Area, AreaLevel, User

        context = load()
        grids = list(Area.objects.filter(level=AreaLevel.GRID))
        import datetime
        import random

        rng = random.Random(1)
        rows, seen = [], set()
        started = time.perf_counter()
        while len(rows) < args.residents:
            born = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 90))
            number = synthetic_id_number(rng, born, rng.random() < 0.5)
            if number in seen:
                continue
            seen.add(number)
            r = Resident(name=rng.choice(SURNAMES) + "某", id_number=number, grid=rng.choice(grids))
            r.derive_protected_columns()
            rows.append(r)
        Resident.objects.bulk_create(rows, batch_size=2000)
        print(f"built {len(rows)} residents in {time.perf_counter() - started:.1f} s")

        cadre = User.objects.get(username="cadre")
        path = context["areas"][LINQUAN].path

        def orm():
            qs = Resident.objects.visible_to(cadre).select_related("grid")
            list(qs.only("name", "id_number_masked", "grid__name")[:50])
            qs.count()

        sql_page = (
            "SELECT r.id, r.name, r.id_number_masked, g.name FROM community_resident r "
            "JOIN core_area g ON g.id = r.grid_id WHERE g.path LIKE %s "
            "ORDER BY r.grid_id, r.name, r.id LIMIT 50"
        )
        sql_count = ("SELECT COUNT(*) FROM community_resident r JOIN core_area g ON g.id = r.grid_id "
                     "WHERE g.path LIKE %s")

        def raw():
            with connection.cursor() as cursor:
                cursor.execute(sql_page, [path + "%"])
                cursor.fetchall()
                cursor.execute(sql_count, [path + "%"])
                cursor.fetchone()

        cadre.area_paths  # noqa: B018  (warm the per-user cache, as a request would once)
        orm_ms, raw_ms = best_of(orm), best_of(raw)
        print(f"{connection.vendor}: residents list page + count for a neighbourhood cadre")
        print(f"  ORM with visible_to: {orm_ms:7.2f} ms")
        print(f"  raw SQL baseline:    {raw_ms:7.2f} ms")
        print(f"  ratio:               {orm_ms / raw_ms:7.2f}x")


if __name__ == "__main__":
    main()
