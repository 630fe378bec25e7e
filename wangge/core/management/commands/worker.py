"""`wangge worker [--once] [--no-beat]`: the embedded default's background worker (core/worker.py):
waiting imports and the periodic tasks. `make demo` starts it beside the server; on a server without
Celery run it as its own service (docs/DEPLOY.md)."""

import contextlib

from wangge.core import worker
from wangge.core.management.base import WanggeCommand


class Command(WanggeCommand):
    help = "Run waiting imports and the periodic tasks (the embedded default's worker)"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one round, then stop")
        parser.add_argument("--no-beat", action="store_true", help="imports only, no periodic tasks")
        parser.add_argument("--poll", type=float, default=1.0, help="seconds between rounds")

    def handle(self, *args, once=False, no_beat=False, poll=1.0, **options):
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C ends it quietly
            worker.run(once=once, poll=max(poll, 0.1), beat=not no_beat)
