import pytest

from wangge.core.models import Area, AreaLevel


def test_subtree_is_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = set(Area.objects.subtree(world.hoods["linquan"]).values_list("code", flat=True))
    assert codes == {"310105102022", "310105102022001", "310105102022002"}


def test_any_depth_district_over_towns(db):
    district = Area.objects.create(code="310105", name="长宁区", level=AreaLevel.DISTRICT)
    towns = [Area.objects.create(code=f"310105{n}", name=f"镇{n}", level=AreaLevel.TOWN, parent=district)
             for n in ("102", "103")]
    hood = Area.objects.create(code="310105102001", name="居民区", level=AreaLevel.NEIGHBOURHOOD, parent=towns[0])
    grid = Area.objects.create(code="310105102001001", name="网格", level=AreaLevel.GRID, parent=hood)
    assert grid.depth == 3
    assert grid.path == "/310105/310105102/310105102001/310105102001001/"
    assert set(Area.objects.subtree(district)) == {district, *towns, hood, grid}
    assert set(Area.objects.subtree(towns[1])) == {towns[1]}


def test_moving_an_area_moves_its_subtree(world):
    grid = world.grids["linquan1"]
    hood = world.hoods["linquan"]
    hood.parent = None
    hood.save()
    grid.refresh_from_db()
    assert grid.path == "/310105102022/310105102022001/"
    assert grid not in Area.objects.subtree(world.town)


def test_code_prefix_does_not_leak_into_siblings(db):
    """A code that is a prefix of a sibling's code must not pull the sibling into its subtree."""
    root = Area.objects.create(code="1", name="root", level=AreaLevel.TOWN)
    a = Area.objects.create(code="12", name="a", level=AreaLevel.NEIGHBOURHOOD, parent=root)
    b = Area.objects.create(code="123", name="b", level=AreaLevel.NEIGHBOURHOOD, parent=root)
    assert list(Area.objects.subtree(a)) == [a]
    assert b not in Area.objects.subtree(a)


@pytest.mark.parametrize("level", [AreaLevel.GRID, AreaLevel.NEIGHBOURHOOD])
def test_area_codes_are_unique(world, level):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(code=world.grids["linquan1"].code, name="dup", level=level, parent=world.town)
