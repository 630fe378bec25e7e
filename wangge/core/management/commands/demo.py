"""`wangge demo [--no-serve]`: migrate, load the demo town, print the accounts, serve on :8000."""

import importlib
import subprocess
import sys
import time

from django.core.management import call_command
from django.db import transaction

from wangge.core import audit
from wangge.core.demo import DEMO_PASSWORD
from wangge.core.management.base import WanggeCommand

# Each app with demo data has a `demo.load(context)`; order follows the dependencies.
DEMO_MODULES = ["wangge.community.demo", "wangge.places.demo", "wangge.workorders.demo", "wangge.inspections.demo",
                "wangge.economy.demo", "wangge.sampling.demo", "wangge.reports.demo", "wangge.vaccination.demo",
                "wangge.maps.demo", "wangge.dashboard.demo", "wangge.assessment.demo"]


class Command(WanggeCommand):
    help = "Load the demo town (Xinjing) and serve it at http://127.0.0.1:8000/"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="load the data and stop")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, no_serve=False, addrport="127.0.0.1:8000", **options):
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        from wangge.core.demo import load

        with audit.audit_context(request_id="demo"), transaction.atomic():
            context = load()
            # The official calendar first: the demo's deadlines count working days (2022, this and next year).
            from wangge.workorders.holidays import seed_demo_years

            seed_demo_years()
            for name in DEMO_MODULES:
                importlib.import_module(name).load(context)
            # What the daily job would have done by now: mark and escalate overdue orders (idempotent).
            from wangge.workorders.overdue import run_overdue

            run_overdue()
            # And what the worker would have: the dashboard's roll-up of every grid.
            from wangge.dashboard.rollup.refresh import refresh

            refresh()
        self.stdout.write(self.style.SUCCESS(f"Demo town loaded in {time.monotonic() - started:.1f} s."))
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in context["accounts"]:
            self.stdout.write(f"  {account.username:<12} {account.full_name}  [{account.role}]")
        if not no_serve:
            self.stdout.write(f"Serving at http://{addrport}/  (Ctrl+C to stop)")
            # The background worker (long imports, periodic tasks) runs in its own process beside the
            # server, as it would on a server; it stops with the demo.
            worker = subprocess.Popen([sys.executable, "-m", "wangge.manage", "worker"])
            try:
                call_command("runserver", addrport, use_reloader=False)
            finally:
                worker.terminate()
                worker.wait(timeout=10)
