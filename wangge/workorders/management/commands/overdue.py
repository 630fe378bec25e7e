import datetime

from wangge.core.management.base import WanggeCommand
from wangge.workorders.overdue import remind_due_soon, run_overdue


class Command(WanggeCommand):
    help = ("Mark overdue work orders, escalate them and notify; remind those due on the next working day "
            "(safe to run twice, or twice at once).")

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None,
                            help="Run as if on this date (YYYY-MM-DD).")

    def handle(self, *args, today=None, **options):
        result = run_overdue(today)
        reminded = remind_due_soon(today)
        self.stdout.write(f"escalated={result['escalated']} notified={result['notified']} reminded={reminded}")
