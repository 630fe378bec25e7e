"""Sums of the roll-up over the grids a user sees: a handful of queries over GridFigure, whatever the
number of premises, inspections or orders behind them."""

from django.db import connection
from django.db.models import Count, Q, Sum

from wangge.core.models import Area
from wangge.core.natural import natural_key

from ..models import GridFigure
from .refresh import ensure_fresh
from .scope import grid_scope


def _prefixed(prefixes) -> Q:
    """Keys starting with one of the prefixes. SQLite's LIKE ignores case and so cannot use the index: there,
    the same as a range of keys (its comparisons are by bytes)."""
    condition = Q()
    for prefix in prefixes:
        if connection.vendor == "sqlite":
            condition |= Q(key__gte=prefix, key__lt=prefix[:-1] + chr(ord(prefix[-1]) + 1))
        else:
            condition |= Q(key__startswith=prefix)
    return condition


class Rollup:
    def __init__(self, scope):
        self.scope = scope

    def rows(self):
        """The GridFigure rows of the user's grids."""
        return self.scope.filter(GridFigure.objects.all()).order_by()

    def _rows(self, *prefixes):
        return self.rows().filter(_prefixed(prefixes))

    def sums(self, *prefixes) -> dict[str, int]:
        """{key: total} of the plain (undated, part 0) figures whose key starts with one of `prefixes`."""
        return dict(self._rows(*prefixes).filter(part=0, day__isnull=True).values_list("key")
                    .annotate(n=Sum("value")))

    def distinct(self, *prefixes) -> dict[str, int]:
        """{key: number of distinct parts}: people, premises, orders counted once across grids."""
        return dict(self._rows(*prefixes).exclude(part=0).values_list("key").annotate(n=Count("part", distinct=True)))

    def by_grid(self, *prefixes) -> dict[int, dict[str, int]]:
        """{grid: {key: value}} of the plain figures."""
        out: dict[int, dict[str, int]] = {}
        for grid, key, value in self._rows(*prefixes).filter(part=0, day__isnull=True) \
                .values_list("grid", "key", "value"):
            out.setdefault(grid, {})[key] = value
        return out


def grid_names(ids) -> dict[int, str | None]:
    names = dict(Area.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name"))
    return {i: names.get(i) for i in ids}


def naturally(rows, label):
    return sorted(rows, key=lambda r: natural_key(label(r)))


def rollup_for(user) -> Rollup | None:
    """The user's roll-up, fresh (refresh.ensure_fresh: one query on the stale marks when no worker runs), or
    None when their figures must be counted directly (scope.py)."""
    scope = grid_scope(user)
    if scope is None:
        return None
    ensure_fresh()
    return Rollup(scope)
