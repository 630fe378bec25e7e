"""Faults, scripted: the server is killed (SIGKILL, the whole gunicorn process group) in the middle of
a ledger import and in the middle of a bulk assignment of work orders; afterwards SQL checks that
nothing is half-written, then the same action is done again and checked for exactly-once results.

    .venv/bin/python benchmarks/faults.py [--db sqlite|postgresql|both] [--rows 20000] [--orders 900]

Loopback only. Each database runs on a throw-away database (a temp SQLite file; a temporary
PostgreSQL database at 127.0.0.1:5432, dropped afterwards). PostgreSQL restarts during a load run
are `benchmarks/load.py --restart-postgres`.
"""

import argparse
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.import_bench import make_ledger  # noqa: E402
from benchmarks.load import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG = "postgres://postgres@127.0.0.1:5432/"
PASSWORD = "fault-run-2022"  # noqa: S105  (a throw-away database's only user)


def setup(orders: int, rows: int) -> None:
    """Child process on the throw-away database: the demo town and its premises, a manager, a worker,
    `orders` new work orders waiting for an assignee, and a ledger of `rows` new premises."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "wangge.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from wangge.core import audit
    from wangge.core.demo import load as load_town
    from wangge.core.models import Area, AreaLevel, User, UserRole
    from wangge.core.roles import Role
    from wangge.places.demo import load as load_places
    from wangge.workorders.models import WorkOrder

    call_command("migrate", verbosity=0)
    with audit.audit_context(request_id="faults"):
        load_places(load_town())
    for username, role in (("boss", Role.ADMIN), ("worker", Role.GRID_WORKER)):
        user = User.objects.create(username=username, full_name=username)
        user.set_password(PASSWORD)
        user.save()
        UserRole.objects.create(user=user, role=role)
    grid = Area.objects.filter(level=AreaLevel.GRID).first()
    deadline = timezone.localdate() + timezone.timedelta(days=7)
    WorkOrder.objects.bulk_create(WorkOrder(kind="resident_need", title=f"故障演练工单{n}", grid=grid,
                                            deadline=deadline) for n in range(orders))
    make_ledger(rows, Path(os.environ["WANGGE_VAR_DIR"]) / "premises.xlsx")


class Database:
    """Reads the throw-away database directly, as an operator would after a crash."""

    def __init__(self, env: dict):
        self.url = env.get("DATABASE_URL")
        self.path = Path(env["WANGGE_VAR_DIR"]) / "wangge.sqlite3"

    def one(self, query: str, *params):
        if self.url:
            import psycopg

            with psycopg.connect(self.url) as db:
                return db.execute(query, params).fetchone()[0]
        with sqlite3.connect(self.path) as db:
            return db.execute(query.replace("%s", "?"), params).fetchone()[0]

    def ids(self, query: str) -> list[int]:
        if self.url:
            import psycopg

            with psycopg.connect(self.url) as db:
                return [row[0] for row in db.execute(query)]
        with sqlite3.connect(self.path) as db:
            return [row[0] for row in db.execute(query)]

    def writing(self) -> bool:
        """Is another connection inside a transaction that has written something and not committed?"""
        if self.url:
            return self.one("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL") > 0
        db = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")  # refused while another connection holds the write lock
            db.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            db.close()

    def run(self, query: str, *params) -> None:
        if self.url:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as db:
                db.execute(query, params)
        else:
            with sqlite3.connect(self.path) as db:
                db.execute(query.replace("%s", "?"), params)


class Server:
    def __init__(self, env: dict):
        self.env, self.port, self.process = env, free_port(), None

    def start(self) -> "Server":
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "wangge.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "2",
             "--threads", "4", "--timeout", "600", "--log-level", "warning", "--chdir", str(ROOT)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        for _ in range(200):
            try:
                requests.get(f"{self.url}/healthz", timeout=10)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        raise SystemExit("gunicorn did not start")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)  # master and workers at once: no graceful anything
        self.process.wait()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def session(self) -> requests.Session:
        s = requests.Session()
        s.get(f"{self.url}/accounts/login/")
        r = s.post(f"{self.url}/accounts/login/", data={"username": "boss", "password": PASSWORD,
                                                          "csrfmiddlewaretoken": s.cookies["csrftoken"]})
        assert "sessionid" in s.cookies, f"sign-in failed ({r.status_code})"
        return s

    def post(self, s: requests.Session, path: str, **kwargs) -> requests.Response:
        data = {**kwargs.pop("data", {}), "csrfmiddlewaretoken": s.cookies["csrftoken"]}
        return s.post(f"{self.url}{path}", data=data, headers={"Referer": self.url}, allow_redirects=False,
                      **kwargs)


def wait_for(condition, seconds: float, what: str, every: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise SystemExit(f"timed out waiting for {what}")


def job_id(response: requests.Response) -> int:
    return int(re.search(r"/ledgers/jobs/(\d+)/", response.headers["Location"]).group(1))


def import_file(server: Server, db: Database, ledger: Path) -> int:
    """Upload (the check), wait for it, confirm: the id of the real import's job, now running."""
    s = server.session()
    with ledger.open("rb") as f:
        checked = job_id(server.post(s, "/ledgers/premises/import/", files={"file": (ledger.name, f)}))
    wait_for(lambda: db.one("SELECT status FROM core_importjob WHERE id = %s", checked) == "done", 600, "the check")
    return job_id(server.post(s, f"/ledgers/jobs/{checked}/confirm/"))


def fault_import(env: dict, db: Database, ledger: Path, rows: int, kill_after: float) -> dict:
    before = db.one("SELECT count(*) FROM places_premises")
    server = Server(env).start()
    job = import_file(server, db, ledger)
    # The import checks every row, then writes them all in one transaction: wait until that transaction
    # has written something (seen from outside as a held write lock / a transaction id), then kill.
    wait_for(lambda: db.one("SELECT status FROM core_importjob WHERE id = %s", job) == "running", 60,
             "the import to start", every=0.05)
    wait_for(db.writing, 600, "the import to start writing", every=0.01)
    time.sleep(kill_after)
    status_at_kill = db.one("SELECT status FROM core_importjob WHERE id = %s", job)
    server.kill()
    after_kill = db.one("SELECT count(*) FROM places_premises") - before
    # Time passes (the job's heartbeat grows older than jobs.STALE_AFTER); the next visit to its page says so.
    db.run("UPDATE core_importjob SET heartbeat_at = %s WHERE id = %s", "2000-01-01 00:00:00+00:00", job)
    server = Server(env).start()
    server.session().get(f"{server.url}/ledgers/jobs/{job}/")
    status_after = db.one("SELECT status FROM core_importjob WHERE id = %s", job)
    again = import_file(server, db, ledger)
    wait_for(lambda: db.one("SELECT status FROM core_importjob WHERE id = %s", again) in ("done", "failed"),
             900, "the second import")
    server.kill()
    return {"rows in file": rows, "job at kill": status_at_kill, "premises written by the killed import": after_kill,
            "killed job afterwards": status_after,
            "premises written by the second import": db.one("SELECT count(*) FROM places_premises") - before,
            "written twice": db.one("SELECT count(*) - count(DISTINCT name) FROM places_premises WHERE name LIKE %s",
                                    "测试店%"),
            "creations audited": db.one("SELECT count(*) FROM core_auditentry WHERE action = 'create' AND "
                                        "object_repr LIKE %s", "测试店%")}


def fault_bulk_assign(env: dict, db: Database, orders: int, kill_after: float) -> dict:
    worker = db.one("SELECT id FROM core_user WHERE username = 'worker'")
    ids = [str(i) for i in db.ids("SELECT id FROM workorders_workorder")]
    server = Server(env).start()
    s = server.session()
    s.get(f"{server.url}/workorders/")
    answer = {}

    def send():
        try:
            answer["status"] = server.post(s, "/workorders/bulk-assign/", data={"ids": ids, "assignee": worker},
                                           timeout=600).status_code
        except requests.ConnectionError as exc:
            answer["status"] = type(exc).__name__

    sender = threading.Thread(target=send)
    sender.start()
    wait_for(db.writing, 60, "the bulk assignment to start writing", every=0.01)
    time.sleep(kill_after)
    answered_before_kill = "status" in answer
    server.kill()
    sender.join()
    assigned = db.one("SELECT count(*) FROM workorders_workorder WHERE assignee_id = %s", worker)
    events = db.one("SELECT count(*) FROM workorders_workorderevent WHERE verb = 'assign'")
    server = Server(env).start()
    s = server.session()
    s.get(f"{server.url}/workorders/")
    retry = server.post(s, "/workorders/bulk-assign/", data={"ids": ids, "assignee": worker}, timeout=600)
    final_assigned = db.one("SELECT count(*) FROM workorders_workorder WHERE assignee_id = %s", worker)
    final_events = db.one("SELECT count(*) FROM workorders_workorderevent WHERE verb = 'assign'")
    server.kill()
    return {"orders": orders, "answered before the kill": answered_before_kill, "client saw": answer["status"],
            "assigned after the kill": assigned, "assign events after the kill": events,
            "retry": retry.status_code, "assigned after the retry": final_assigned,
            "assign events after the retry": final_events}


def run(kind: str, args) -> dict:
    with tempfile.TemporaryDirectory() as var:
        env = {**os.environ, "WANGGE_VAR_DIR": var, "DJANGO_SETTINGS_MODULE": "wangge.settings",
               "PYTHONPATH": str(ROOT)}
        env.pop("DATABASE_URL", None)
        name = f"wangge_faults_{os.getpid()}"
        if kind == "postgresql":
            subprocess.run(["psql", PG + "postgres", "-q", "-c", f"CREATE DATABASE {name}"], check=True)
            env["DATABASE_URL"] = PG + name
        try:
            subprocess.run([str(BIN / "python"), __file__, "--setup", str(args.orders), "--rows", str(args.rows)],
                           env=env, check=True)
            ledger = Path(var) / "premises.xlsx"
            db = Database(env)
            return {"database": kind,
                    "import": fault_import(env, db, ledger, args.rows, args.kill_after),
                    "bulk assignment": fault_bulk_assign(env, db, args.orders, args.kill_after_bulk)}
        finally:
            if kind == "postgresql":
                subprocess.run(["psql", PG + "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {name}"], check=False)


def verdict(result: dict) -> list[str]:
    """What must hold: nothing half-written, nothing lost, nothing twice."""
    problems = []
    i, b = result["import"], result["bulk assignment"]
    if i["job at kill"] != "running":
        problems.append("the import was not running when the server was killed (use more --rows)")
    if i["premises written by the killed import"] != 0:
        problems.append("the killed import left rows behind")
    if i["killed job afterwards"] != "failed":
        problems.append("the killed import's job does not say it failed")
    if i["premises written by the second import"] != i["rows in file"] or i["written twice"] or i[
            "creations audited"] != i["rows in file"]:
        problems.append("the second import did not write (and audit) each row exactly once")
    if b["answered before the kill"]:
        problems.append("the bulk assignment finished before the kill (use more --orders)")
    if b["assigned after the kill"] not in (0, b["orders"]) or b["assign events after the kill"] != b[
            "assigned after the kill"]:
        problems.append("the killed bulk assignment is half-written")
    if b["assigned after the retry"] != b["orders"] or b["assign events after the retry"] != b["orders"]:
        problems.append("after the retry the orders are not each assigned exactly once")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rows", type=int, default=20000)
    # A form takes at most 1,000 fields (DATA_UPLOAD_MAX_NUMBER_FIELDS): 900 ids is the biggest batch.
    parser.add_argument("--orders", type=int, default=900)
    parser.add_argument("--kill-after", type=float, default=1.0, help="seconds into the import's writing")
    parser.add_argument("--kill-after-bulk", type=float, default=0.5, help="seconds into the bulk assignment's writing")
    parser.add_argument("--setup", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup is not None:
        setup(args.setup, args.rows)
        return
    failed = False
    for kind in (["sqlite", "postgresql"] if args.db == "both" else [args.db]):
        result = run(kind, args)
        print(json.dumps(result, ensure_ascii=False, indent=2))
        for problem in verdict(result):
            failed = True
            print(f"FAULT RUN FAILED ({kind}): {problem}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
