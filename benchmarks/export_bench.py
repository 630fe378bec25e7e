"""A district's whole resident list exported (#21): time and peak memory of the background export
(core/export_jobs.py: rows in chunks into openpyxl's write-only workbook on disk, then into the storage)
against the old in-request path (the same writer into memory, export_file) and a raw floor (the same
rows through plain SQL into a CSV file, no decryption, no masking).

    .venv/bin/python benchmarks/export_bench.py [--residents 200000] [--fmt xlsx|csv]

The residents are generated (district areas, `wangge generate`'s resident generator) into a temp
SQLite database by one child process; each measurement then runs in a fresh child of its own, so its
peak RSS (ru_maxrss) is its own.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(step: str, fmt: str, residents: int) -> None:
    import resource

    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    if step == "generate":
        import dataclasses
        import random

        from wangge.core import audit
        from wangge.core.models import User, UserRole
        from wangge.core.roles import Role
        from wangge.dashboard.generate.areas import make_areas
        from wangge.dashboard.generate.registries import make_residents
        from wangge.dashboard.generate.scales import SCALES

        call_command("migrate", verbosity=0)
        plan = dataclasses.replace(SCALES["district"], residents=residents)
        with audit.audit_context(request_id="bench"):
            areas = make_areas(plan)
            make_residents(random.Random(2022), plan, areas["grids"])  # noqa: S311
            admin = User.objects.create(username="bench-admin", full_name="管理员")
            UserRole.objects.create(user=admin, role=Role.ADMIN)
    else:
        from django.http import QueryDict

        from wangge.core.models import ExportJob, User
        from wangge.core.tabular.kinds import get_kind

        admin = User.objects.get(username="bench-admin")
        kind = get_kind("residents")
        if step == "job":
            from wangge.core.export_jobs import run_export_job

            job = ExportJob.objects.create(kind="residents", fmt=fmt, created_by=admin)
            run_export_job(job.pk)
            job.refresh_from_db()
            assert job.status == "done", job.error
            rows = job.done
        elif step == "request":
            from wangge.core.exporting import export_file

            body, rows = export_file(kind, admin, QueryDict(), fmt)
        else:  # the floor: the same rows, plain SQL, into a CSV file
            import csv

            from django.db import connection

            rows = 0
            with connection.cursor() as cursor, tempfile.TemporaryFile("w+", newline="") as out:
                cursor.execute("SELECT r.id, r.name, r.address, r.grid_id, r.phone_masked, r.id_number_masked "
                               "FROM community_resident r ORDER BY r.id")
                writer = csv.writer(out)
                while batch := cursor.fetchmany(2000):
                    writer.writerows(batch)
                    rows += len(batch)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{step},{seconds:.2f},{peak:.0f},{rows if step != 'generate' else residents}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=200_000)
    parser.add_argument("--fmt", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.fmt, args.residents)
        return
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "WANGGE_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "wangge.settings"}
        env.pop("DATABASE_URL", None)
        results = {}
        for step in ("generate", "floor", "request", "job"):
            out = subprocess.run([sys.executable, __file__, "--child", step, "--fmt", args.fmt,
                                  "--residents", str(args.residents)], env=env, cwd=ROOT, check=True,
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1]
            name, seconds, peak, rows = out.split(",")
            results[name] = (float(seconds), float(peak), int(rows))
            print(f"{name:<9} {float(seconds):7.1f} s  peak RSS {float(peak):6.0f} MB  rows {int(rows):,}")
        floor = results["floor"][0]
        for name in ("request", "job"):
            print(f"{name}: {results[name][0] / floor:.1f}x the floor's time")


if __name__ == "__main__":
    main()
