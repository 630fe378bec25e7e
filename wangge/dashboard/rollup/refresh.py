"""Keeping GridFigure in step: claim the grids the triggers marked stale, count their figures again and
replace their rows, all in one transaction (a change committed meanwhile marks its grid again)."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from ..models import GridFigure, StaleGrid
from .compute import compute

BATCH = 500  # grids per transaction: a district's first roll-up is two
INLINE_MAX = 1000  # grids a dashboard request may recompute itself (no worker running): a town's all, at once
WORKER_KEY = "dashboard:rollup:worker"
WORKER_SEEN = 180  # seconds: a worker that ran this recently keeps the figures fresh


def _claim(limit: int) -> list[int]:
    """Delete up to `limit` stale marks, oldest first, and return their grids. The DELETE comes first so that
    SQLite takes its write lock before reading; PostgreSQL skips marks another worker holds."""
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    table = StaleGrid._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE grid IN (SELECT grid FROM {table} ORDER BY marked_at, grid "  # noqa: S608
                       f"LIMIT %s{lock}) RETURNING grid", [limit])
        return [row[0] for row in cursor.fetchall()]


def _write(rows: dict[tuple, int]) -> None:
    table = GridFigure._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (grid, key, day, part, value) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                           [(*key, value) for key, value in rows.items()])


def refresh(limit: int | None = None) -> int:
    """Recompute stale grids (at most `limit`; None: until none is left). Returns how many grids."""
    done = 0
    while limit is None or done < limit:
        with transaction.atomic():
            grids = _claim(BATCH if limit is None else min(BATCH, limit - done))
            if not grids:
                break
            GridFigure.objects.filter(grid__in=grids).delete()
            _write(compute(grids))
        done += len(grids)
    return done


def rebuild() -> int:
    """Every figure from scratch (after a restore, or to check): one pass over each source table."""
    with transaction.atomic():
        StaleGrid.objects.all().delete()
        GridFigure.objects.all().delete()
        rows = compute(None)
        _write(rows)
    return len({key[0] for key in rows})


def worker_ran() -> None:
    """Said by the beat task and `wangge rollup`: requests leave the recomputing to them for a while."""
    cache.set(WORKER_KEY, timezone.now().isoformat(), WORKER_SEEN)


def enabled() -> bool:
    """settings.DASHBOARD_ROLLUP (on by default): off, every figure is counted directly (benchmarks compare)."""
    return getattr(settings, "DASHBOARD_ROLLUP", True)


def ensure_fresh() -> bool:
    """Before a dashboard reads the roll-up: with no worker seen lately (the embedded default, a fresh
    demo), recompute the stale grids here, at most INLINE_MAX of them. One query when nothing is stale.
    Returns whether the roll-up is to be read at all."""
    if not enabled():
        return False
    if cache.get(WORKER_KEY) is None and StaleGrid.objects.exists():
        refresh(INLINE_MAX)
    return True
