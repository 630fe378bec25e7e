"""Numbers per unit, kind and year with no gap and no reuse, checked against the table itself (SQL), and
distinct under concurrency on PostgreSQL (two connections in two threads)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from wangge.papers import services
from wangge.papers.models import Paper, PaperUnit
from wangge.papers.numbering import next_sequence

from .conftest import rectify


def _sql_sequences(kind: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sequence FROM papers_paper WHERE kind = %s ORDER BY sequence", [kind])
        return [row[0] for row in cursor.fetchall()]


def test_rectification_notices_are_numbered_per_unit_kind_and_year(world, inspections):
    _c, first, second = inspections
    inspector, year = world.users["inspector"], timezone.localdate().year
    a = services.make_paper(inspector, first, "rectification")
    b = services.make_paper(inspector, second, "rectification")
    record = services.make_paper(inspector, first, "record")
    assert a.number == f"长新市监责改〔{year}〕1号"
    assert b.number == f"长新市监责改〔{year}〕2号"
    assert record.number == f"长新市监检录〔{year}〕1号"  # each kind counts on its own
    assert a.department == world.departments["market"] and a.issuer_name == "长宁区市场监督管理局新泾市场监督管理所"
    assert _sql_sequences("rectification") == [1, 2]


def test_without_a_unit_row_the_short_name_is_the_prefix_and_codes_are_configurable(world, inspections, settings):
    _c, first, _second = inspections
    PaperUnit.objects.all().delete()
    market = world.departments["market"]
    market.short_name = "新泾市监"
    market.save()
    settings.PAPERS_KIND_CODES = {"rectification": "改"}
    paper = services.make_paper(world.users["inspector"], first, "rectification")
    assert paper.number == f"新泾市监改〔{timezone.localdate().year}〕1号"
    assert paper.issuer_name == "市场监督管理所"


def test_a_rolled_back_paper_gives_its_number_back(world, inspections):
    _c, first, second = inspections
    market, year = world.departments["market"], timezone.localdate().year
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_sequence(market, "rectification", year) == 1
        raise RuntimeError("the paper failed to save")
    paper = services.make_paper(world.users["inspector"], first, "rectification")
    assert paper.sequence == 1  # no gap
    with pytest.raises(ValidationError) as refused:  # a second live notice of the same inspection
        services.make_paper(world.users["inspector"], first, "rectification")
    assert "kind" in refused.value.message_dict
    assert services.make_paper(world.users["inspector"], second, "rectification").sequence == 2


def test_a_correction_voids_and_takes_a_new_number_never_reusing_one(world, inspections):
    _c, first, second = inspections
    inspector = world.users["inspector"]
    old = services.make_paper(inspector, first, "rectification")
    new = services.correct(inspector, old, "当事人名称有误", note="更正当事人名称")
    old.refresh_from_db()
    assert old.status == "void" and old.void_reason == "当事人名称有误" and old.voided_by == inspector
    assert new.replaces == old and new.sequence == 2 and new.number != old.number and new.note == "更正当事人名称"
    third = services.make_paper(inspector, second, "rectification")
    assert third.sequence == 3
    assert _sql_sequences("rectification") == [1, 2, 3]
    assert Paper.objects.filter(number=old.number).count() == 1


def test_only_the_kinds_the_inspection_gives(world, inspections):
    _c, _first, second = inspections  # a rectification without suspension
    with pytest.raises(ValidationError) as refused:
        services.make_paper(world.users["inspector"], second, "suspension")
    assert "kind" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.make_paper(world.users["inspector"], second, "shutdown")
    with pytest.raises(ValidationError):
        services.make_paper(world.users["inspector"], second, "nonsense")
    assert Paper.objects.count() == 0


def test_a_role_without_inspect_or_out_of_scope_is_refused(world, inspections):
    from django.core.exceptions import PermissionDenied

    from ..conftest import make_user

    _c, first, _second = inspections
    with pytest.raises(PermissionDenied):
        services.make_paper(world.users["leader"], first, "rectification")  # sees it, does not inspect
    elsewhere = make_user("inspector-beihong", "inspector", [world.hoods["beihong"]])
    with pytest.raises(PermissionDenied):
        services.make_paper(elsewhere, first, "rectification")  # 老王面馆 is in 林泉
    assert Paper.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_inspections_get_distinct_numbers_without_gap(world, media):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writes: concurrency is shown on PostgreSQL (DATABASE_URL=postgres://...)")
    from ..inspections.helpers import campaign

    c = campaign(world)
    PaperUnit.objects.create(department=world.departments["market"], prefix="长新市监")
    pair = [rectify(world, c, "linquan1"), rectify(world, c, "beihong1")]
    inspector, errors, made = world.users["inspector"], [], []

    def issue(barrier, inspection, kind):
        try:
            barrier.wait(timeout=30)  # both transactions reach the counter together
            made.append(services.make_paper(inspector, inspection, kind))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    # Each pair is made by two connections at once; the counter row itself is created in the race.
    for kind in ("rectification", "record"):
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=issue, args=(barrier, inspection, kind)) for inspection in pair]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert errors == []
    assert _sql_sequences("rectification") == [1, 2] and _sql_sequences("record") == [1, 2]
    numbers = [p.number for p in made]
    assert len(numbers) == len(set(numbers)) == 4
