"""The fast insert path used by imports: ids, audit entries, and ordinary saves afterwards."""

from wangge.community.models import Resident
from wangge.community.services import build_resident, managed_grid_ids, register_residents
from wangge.core import audit
from wangge.core.models import AuditEntry

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
