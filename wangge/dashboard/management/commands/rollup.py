"""`wangge rollup [--rebuild]`: bring the dashboard's per-grid roll-up up to date (every minute from a timer
when there is no Celery beat; safe to run twice at once). --rebuild counts everything again from scratch."""

from wangge.core.management.base import WanggeCommand
from wangge.dashboard.rollup.refresh import rebuild, refresh, worker_ran


class Command(WanggeCommand):
    help = "Recompute the dashboard figures of the grids changed since the last run (--rebuild: of every grid)"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="recompute every grid, not only the changed ones")

    def handle(self, *args, **options):
        grids = rebuild() if options.get("rebuild") else refresh()
        worker_ran()
        self.stdout.write(f"grids={grids}")
