"""The 8 a.m. rush: concurrent simulated inspectors submit an inspection with a photo each against
gunicorn and PostgreSQL; a share of the responses is dropped (the client hangs up before reading),
so those clients retry with the same client id. Reports throughput, p50 and p99, and checks with SQL
that there is exactly one inspection (and one photo) per client id. `cpu_ms` is where the machine's time
went: CPU milliseconds per answered submission of the server (gunicorn and its workers, retried requests
included; the warm-up before is not), of PostgreSQL's processes and of this client.

The floor is `benchmarks/load_floor.py`: a bare WSGI app under gunicorn that only inserts the same row
(client id + body) — what no real endpoint can beat. Each runs with the workers and threads that serve it
best on this machine (the defaults below; docs/PERFORMANCE.md). The ratio is floor / Wangge.

    .venv/bin/python benchmarks/load.py [--clients 200] [--drop 0.1] [--workers 4] [--threads 1]
                                        [--floor-workers 4] [--floor-threads 4]
    .venv/bin/python benchmarks/load.py --field-sync --clients 20     # #23 goal 5: one phone's queue

--field-sync sends the submissions one after another from one client, as the field app empties its
offline queue (docs/FIELD_APP.md), with nothing dropped: the figure is the time to sync the whole queue,
against the same bytes posted one after another to the floor.

Loopback only, bounded in count (one submission per client) and time (--timeout). It creates and
drops a throw-away PostgreSQL database at 127.0.0.1:5432.
"""

import argparse
import base64
import http.client
import io
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG = "postgres://postgres@127.0.0.1:5432/"
COMPLIANT = {"venue_code_applied": "yes", "venue_code_posted": "yes", "everyone_scans": "yes",
             "staff_protection": "yes", "staff_count": "5", "staff_tested": "5", "disinfection": "yes",
             "no_unpermitted_opening": "yes"}


def setup(clients: int, out: Path) -> None:
    """In a child process on the throw-away database: migrate, a town with one grid, one premises and
    one inspector (with an API token) per client."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from wangge.core.models import ApiToken, Area, AreaLevel, User, UserRole
    from wangge.core.roles import Role
    from wangge.places.models import Premises, PremisesCategory

    call_command("migrate", verbosity=0)
    town = Area.objects.create(code="310105102", name="新泾镇", level=AreaLevel.TOWN)
    hood = Area.objects.create(code="310105102022", name="林泉", level=AreaLevel.NEIGHBOURHOOD, parent=town)
    grid = Area.objects.create(code="310105102022001", name="林泉第1网格", level=AreaLevel.GRID, parent=hood)
    category = PremisesCategory.objects.get(code="restaurant")
    rows = []
    for n in range(clients):
        user = User.objects.create(username=f"load{n:03d}", full_name=f"检查员{n}")
        user.areas.set([town])
        UserRole.objects.create(user=user, role=Role.INSPECTOR)
        premises = Premises(name=f"压测餐馆{n}", category=category, address=f"仙霞西路{n + 1}号", grid=grid)
        premises.save()
        rows.append({"token": ApiToken.issue(user)[1], "premises": premises.pk})
    out.write_text(json.dumps(rows))


def photo() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    rng = random.Random(7)
    image = Image.new("RGB", (1280, 960))
    image.putdata([(rng.randrange(256), 90, 160) for _ in range(1280 * 960)])
    image.save(buffer, "JPEG", quality=70)
    return base64.b64encode(buffer.getvalue()).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app: str, port: int, env: dict, workers: int, threads: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads",
         str(threads), "--timeout", "120", "--log-level", "warning", "--chdir", str(ROOT)],
        env=env, stdout=subprocess.DEVNULL,
        stderr=open(os.environ.get("LOAD_SERVER_LOG", os.devnull), "ab"))  # noqa: SIM115  (the child keeps it)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start (set LOAD_SERVER_LOG=file to see why)")


def drive(port: int, path: str, jobs: list[dict], drop: float, deadline: float) -> dict:
    """One thread per client; each sends until it gets 200/201, hanging up early with probability `drop`."""
    latencies, retries, errors = [], [0], []
    lock = threading.Lock()
    start = threading.Barrier(len(jobs))

    def client(job: dict, rng: random.Random) -> None:
        start.wait()
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            began = time.monotonic()
            try:
                connection.request("POST", path, body=job["body"], headers=job["headers"])
                if rng.random() < drop:
                    connection.sock.shutdown(socket.SHUT_RDWR)  # the answer is lost on the way back
                    connection.close()
                    with lock:
                        retries[0] += 1
                    time.sleep(rng.uniform(0.05, 0.3))
                    continue
                response = connection.getresponse()
                response.read()
                if response.status in (200, 201):
                    with lock:
                        latencies.append(time.monotonic() - began)
                    return
                with lock:
                    errors.append(response.status)
                    retries[0] += 1
            except OSError as exc:
                with lock:
                    errors.append(type(exc).__name__)
                    retries[0] += 1
            finally:
                connection.close()
            time.sleep(rng.uniform(0.1, 0.5))

    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(job, random.Random(n))) for n, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {"ok": len(latencies), "seconds": round(elapsed, 1), "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000) if latencies else None,
            "retries": retries[0], "errors": sorted({str(e) for e in errors})}


def warm(port: int, path: str, headers: dict, count: int, body: bytes | None = None) -> None:
    """Requests answered (or refused) before timing, so that every server process has loaded its code and
    every thread has its database connection: the inspectors of the rush, and a phone syncing its queue,
    reach a server that has been up all morning (without it, the workers' start-up, Django's imports and
    Pillow's plug-ins, would be timed as part of the rush). With a body, a POST that writes nothing."""
    def one():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("POST" if body else "GET", path, body=body, headers=headers)
        connection.getresponse().read()
        connection.close()

    threads = [threading.Thread(target=one) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def drive_queue(port: int, path: str, jobs: list[dict]) -> dict:
    """One client sending each submission after the last was answered (the field app's offline queue)."""
    began, latencies, errors = time.monotonic(), [], []
    for job in jobs:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        sent = time.monotonic()
        connection.request("POST", path, body=job["body"], headers=job["headers"])
        response = connection.getresponse()
        response.read()
        connection.close()
        (latencies if response.status in (200, 201) else errors).append(
            time.monotonic() - sent if response.status in (200, 201) else response.status)
    elapsed = time.monotonic() - began
    latencies.sort()
    return {"ok": len(latencies), "seconds": round(elapsed, 2), "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000) if latencies else None,
            "p99_ms": round(latencies[-1] * 1000) if latencies else None, "retries": 0,
            "errors": sorted({str(e) for e in errors})}


def _cpu(pids) -> dict[int, float]:
    """{pid: CPU seconds so far} from /proc (user + system); a process gone already is left out."""
    tick, found = os.sysconf("SC_CLK_TCK"), {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / tick
    return found


def cpu_snapshot(server: subprocess.Popen) -> dict:
    """CPU so far of the server (gunicorn and its workers), of PostgreSQL's processes, and of this client."""
    workers = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
    postgres = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split()
    return {"server": _cpu([server.pid, *map(int, workers)]), "postgres": _cpu(map(int, postgres)),
            "client": {0: time.process_time()}}


def cpu_per_submission(before: dict, after: dict, done: int) -> dict:
    """Milliseconds of CPU per submission answered, by process kind (a process started since counts from 0)."""
    return {kind: round(sum(cpu - before[kind].get(pid, 0) for pid, cpu in after[kind].items()) / max(done, 1)
                        * 1000, 1) for kind in after}


def restart_postgres() -> None:
    """The fault: PostgreSQL goes away and comes back while inspectors are submitting."""
    cluster = subprocess.run(["ls", "/etc/postgresql"], capture_output=True, text=True, check=True).stdout.split()[0]
    began = time.monotonic()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart", "-m", "fast"],
                   check=True, capture_output=True)
    print(f"PostgreSQL restarted in {time.monotonic() - began:.1f} s during the run")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--drop", type=float, default=0.1)
    # Each app under the gunicorn that serves it best on this machine (docs/PERFORMANCE.md): Wangge spends
    # its request in Python, so threads only queue for the interpreter lock; the floor mostly waits on
    # PostgreSQL, so threads pay.
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--floor-workers", type=int, default=4)
    parser.add_argument("--floor-threads", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--restart-postgres", type=float, default=None, metavar="SECONDS",
                        help="restart PostgreSQL this many seconds into the Wangge run (a fault run)")
    parser.add_argument("--field-sync", action="store_true",
                        help="one client sending its queue in order (the field app's sync), nothing dropped")
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.field_sync:
        args.drop = 0.0
    if args.setup:
        setup(args.clients, Path(args.setup))
        return
    import psycopg

    name = f"wangge_load_{os.getpid()}"
    with psycopg.connect(PG + "postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    servers = []
    try:
        with tempfile.TemporaryDirectory() as var:
            env = {**os.environ, "DATABASE_URL": PG + name, "WANGGE_VAR_DIR": var, "DJANGO_SETTINGS_MODULE":
                   "wangge.settings", "PYTHONPATH": str(ROOT)}
            tokens = Path(var) / "tokens.json"
            subprocess.run([str(BIN / "python"), __file__, "--clients", str(args.clients), "--setup", str(tokens)],
                           env=env, check=True)
            picture = photo()
            rows = json.loads(tokens.read_text())
            jobs = []
            for row in rows:
                body = json.dumps({"client_id": str(uuid.uuid4()), "premises_id": row["premises"],
                                   "answers": COMPLIANT, "outcome": "compliant",
                                   "photos": [{"item": "", "name": "现场.jpg", "data": picture}]}).encode()
                jobs.append({"body": body, "client_id": json.loads(body)["client_id"],
                             "headers": {"Content-Type": "application/json",
                                         "Authorization": f"Bearer {row['token']}"}})
            print(f"{len(jobs)} clients, photo {len(picture) * 3 // 4 // 1024} KB, drop {args.drop:.0%}, "
                  f"gunicorn {args.workers} workers x {args.threads} threads (the floor {args.floor_workers} x "
                  f"{args.floor_threads})")

            port = free_port()
            servers.append(serve("wangge.wsgi:application", port, env, args.workers, args.threads))
            if args.restart_postgres is not None:
                threading.Timer(args.restart_postgres, restart_postgres).start()
            run = (lambda p, path: drive_queue(p, path, jobs)) if args.field_sync else (
                lambda p, path: drive(p, path, jobs, args.drop, time.monotonic() + args.timeout))
            # The whole submission down to the answers, which are missing: refused, nothing written.
            unanswered = json.dumps({**json.loads(jobs[0]["body"]), "answers": {}}).encode()
            warm(port, "/api/v1/inspections", jobs[0]["headers"], args.workers * args.threads * 2, unanswered)
            before = cpu_snapshot(servers[-1])
            wangge = run(port, "/api/v1/inspections")
            wangge["cpu_ms"] = cpu_per_submission(before, cpu_snapshot(servers[-1]), wangge["ok"])
            servers.pop().terminate()

            port = free_port()
            servers.append(serve("benchmarks.load_floor:app", port, {**env, "LOAD_FLOOR_DSN": PG + name},
                                 args.floor_workers, args.floor_threads))
            # The first job's row, as its own send would write it (the send then finds it there).
            warm(port, "/floor", {}, args.floor_workers * args.floor_threads * 2, jobs[0]["body"])
            before = cpu_snapshot(servers[-1])
            floor = run(port, "/floor")
            floor["cpu_ms"] = cpu_per_submission(before, cpu_snapshot(servers[-1]), floor["ok"])
            servers.pop().terminate()

            with psycopg.connect(PG + name) as db:
                inspections, distinct = db.execute(
                    "SELECT count(*), count(DISTINCT client_id) FROM inspections_inspection").fetchone()
                photos = db.execute("SELECT count(*) FROM inspections_photo").fetchone()[0]
                floor_rows = db.execute("SELECT count(*) FROM load_floor").fetchone()[0]
            expected = {str(j["client_id"]) for j in jobs}
            with psycopg.connect(PG + name) as db:
                stored = {str(r[0]) for r in db.execute("SELECT client_id FROM inspections_inspection")}
    finally:
        for server in servers:
            server.terminate()
        with psycopg.connect(PG + "postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print("wangge:", json.dumps(wangge, ensure_ascii=False))
    print("floor: ", json.dumps(floor, ensure_ascii=False))
    print(f"inspections {inspections} (distinct client ids {distinct}), photos {photos}, floor rows {floor_rows}; "
          f"lost {len(expected - stored)}, duplicated {inspections - distinct}")
    if wangge["per_second"]:
        print(f"ratio floor/wangge throughput: {floor['per_second'] / wangge['per_second']:.1f}x")
    if args.field_sync:
        print(f"field sync of {len(jobs)} queued inspections: {wangge['seconds']} s (goal < 5 s); "
              f"bare upload of the same bytes {floor['seconds']} s")
    if expected != stored or inspections != len(jobs) or photos != len(jobs):
        raise SystemExit("FAILED: not exactly one inspection with its photo per client")


if __name__ == "__main__":
    main()
