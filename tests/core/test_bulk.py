"""The fast insert path used by imports: ids, audit entries, and ordinary saves afterwards."""

import datetime

from django.db import connection

from wangge.community.models import Resident
from wangge.community.services import build_resident, managed_grid_ids, register_residents
from wangge.core import audit
from wangge.core.bulk import new_instance
from wangge.core.models import AuditEntry
from wangge.places.models import Premises, PremisesCategory

from ..conftest import id_number


def test_insert_audited_rows_and_entries(world):
    cadre = world.users["cadre"]
    built = [build_resident(managed_grid_ids(cadre), name=f"批量{n}", id_number=id_number("19600101", 100 + n),
                            grid=world.grids["linquan1"]) for n in range(30)]
    with audit.audit_context(actor=cadre, request_id="bulk-test"):
        register_residents(cadre, built)
    assert len({r.pk for r in built}) == 30 and all(r.pk for r in built)
    stored = Resident.objects.filter(name__startswith="批量")
    assert stored.count() == 30
    assert stored.get(pk=built[0].pk).id_number == id_number("19600101", 100)
    entries = AuditEntry.objects.filter(request_id="bulk-test", action="create")
    assert entries.count() == 30 and {e.actor_name for e in entries} == {"cadre"}
    assert entries.get(object_id=str(built[0].pk)).changes["name"] == [None, "批量0"]
    # Ordinary saves after a bulk insert get fresh ids (the sequence or SQLite's rowid moved on).
    later = Resident(name="之后", id_number=id_number("19600101", 200), grid=world.grids["linquan1"])
    later.save()
    assert later.pk > max(r.pk for r in built)
    assert AuditEntry.objects.filter(object_id=str(later.pk), action="create").exists()


def test_insert_audited_over_many_statements(world):
    """More rows than one multi-row INSERT takes (SQLite: about 1,000 a statement), the last statement
    shorter: every row stored with its own values, read back by plain SQL."""
    cadre = world.users["cadre"]
    count = 2_345

    def number(n):  # an ID number of its own for each row: 500 sequence numbers a birthday
        return id_number((datetime.date(1950, 1, 1) + datetime.timedelta(days=n // 500)).strftime("%Y%m%d"), n % 500)

    built = [build_resident(managed_grid_ids(cadre), name=f"多批{n}", id_number=number(n), grid=world.grids["linquan1"])
             for n in range(count)]
    with audit.audit_context(actor=cadre, request_id="bulk-many"):
        register_residents(cadre, built)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, name, grid_id FROM community_resident WHERE name LIKE %s", ["多批%"])
        stored = {row[0]: row[1:] for row in cursor.fetchall()}
        cursor.execute("SELECT COUNT(*) FROM core_auditentry WHERE request_id = %s", ["bulk-many"])
        entries = cursor.fetchone()[0]
    assert entries == count
    assert stored == {r.pk: (r.name, world.grids["linquan1"].pk) for r in built}
    last = Resident.objects.get(pk=built[-1].pk)
    assert last.id_number == number(count - 1)  # encrypted on the way in, decrypted on load


def test_new_instance_is_the_keyword_constructor(world, django_assert_num_queries):
    """The positional fast path builds what `Model(**values)` builds: the same values under the same
    names, the related object cached (no query to read it back), unknown keys ignored."""
    category = PremisesCategory.objects.first()
    values = {"name": "快建", "category": category, "address": "仙霞西路8号", "grid": world.grids["linquan1"],
              "is_key": True, "contact_phone": "13912345678", "opens_at": datetime.time(9),
              "staff_count": 3, "_key": "not a field"}
    expected = Premises(**{k: v for k, v in values.items() if not k.startswith("_")})
    with django_assert_num_queries(0):
        built = new_instance(Premises, values)
        assert built.category is category and built.grid is world.grids["linquan1"]
    assert built._state.adding and built.pk is None

    def plain(obj):
        return {k: v for k, v in obj.__dict__.items() if k != "_state"}

    assert plain(built) == plain(expected)
