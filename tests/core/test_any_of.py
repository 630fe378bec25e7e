"""`field__any=[...]` (core/any_of.py) finds what `field__in` finds, on either database: one array
parameter on PostgreSQL, an IN list elsewhere. Oracle: the same rows by `__in` and by SQL."""

from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from wangge.core.models import Area


def test_any_finds_what_in_finds(world):
    codes = list(Area.objects.values_list("code", flat=True)[:3]) + ["999999999999999"]
    with CaptureQueriesContext(connection) as queries:
        found = sorted(Area.objects.filter(code__any=codes).values_list("pk", flat=True))
    assert found == sorted(Area.objects.filter(code__in=codes).values_list("pk", flat=True))
    assert len(found) == 3
    sql = queries[0]["sql"]
    assert ("= ANY(" in sql) if connection.vendor == "postgresql" else (" IN (" in sql)


def test_an_empty_list_matches_nothing_and_leaves_the_other_branch(world):
    assert not Area.objects.filter(code__any=[]).exists()
    town = world.town
    either = Area.objects.filter(Q(code__any=[]) | Q(name__any=[town.name])).values_list("pk", flat=True)
    assert list(either) == [town.pk]


def test_values_are_prepared_as_the_field_prepares_them(world):
    """A value is bound as the field stores it, not compared as the Python object (a lazy string here)."""
    from django.utils.functional import lazystr

    assert list(Area.objects.filter(name__any=[lazystr(world.town.name)]).values_list("pk", flat=True)) == [
        world.town.pk]
