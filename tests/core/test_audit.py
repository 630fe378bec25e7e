"""留痕: every change is recorded with a field diff, and nobody can rewrite the record."""

import pytest
from django.db import DatabaseError, connection, transaction

from wangge.community import services
from wangge.community.models import Resident
from wangge.core import audit
from wangge.core.models import AuditEntry


def test_edit_through_page_records_field_diff(world, login):
    resident = world.residents["linquan1"]
    client = login(world.users["cadre"])
    response = client.post(f"/residents/{resident.pk}/edit/", {
        "name": "张伟民", "id_number": "", "phone": "", "grid": resident.grid_id, "address": "林泉路1号",
        "family_doctor": "", "status": "living", "version": resident.version,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.for_object(resident).filter(action="update").first()
    assert entry.actor_name == "cadre"
    assert entry.request_id and len(entry.request_id) >= 8
    assert entry.changes["name"] == ["张伟", "张伟民"]
    assert entry.changes["address"] == ["", "林泉路1号"]
    assert entry.changes["version"] == [1, 2]
    # The record page shows it.
    page = client.get(f"/residents/{resident.pk}/").content.decode()
    assert "张伟民" in page and "林泉路1号" in page and 'data-testid="audit-trail"' in page


def test_api_lists_the_trail(world, client):
    resident = world.residents["linquan1"]
    with audit.audit_context(actor=world.users["cadre"]):
        services.update_resident(world.users["cadre"], resident, 1, address="新地址")
    headers = {"Authorization": f"Bearer {world.token('cadre')}"}
    trail = client.get(f"/api/v1/residents/{resident.pk}/audit", headers=headers).json()
    assert [e["action"] for e in trail] == ["update", "create"]
    assert trail[0]["changes"]["address"] == ["", "新地址"]
    assert trail[0]["actor"] == "cadre"


def test_protected_values_never_enter_the_trail(world):
    resident = world.residents["linquan1"]
    plain_id, plain_phone = resident.id_number, resident.phone
    services.update_resident(world.users["cadre"], resident, 1, phone="13600009999")
    for entry in AuditEntry.objects.for_object(resident):
        text = str(entry.changes)
        assert plain_id not in text and plain_phone not in text and "13600009999" not in text
    update = AuditEntry.objects.for_object(resident).get(action="update")
    assert update.changes["phone_masked"] == ["139****5678", "136****9999"]


def test_bulk_update_and_delete_are_recorded(world):
    Resident.objects.filter(grid=world.grids["beihong1"]).update(address="统一地址")
    entry = AuditEntry.objects.filter(action="update").latest("id")
    assert entry.changes == {"address": ["", "统一地址"]}
    resident = world.residents["beihong2"]
    pk = resident.pk
    resident.delete()
    deleted = AuditEntry.objects.filter(action="delete", object_id=str(pk)).get()
    assert deleted.changes["name"] == ["赵强", None]


def test_the_app_cannot_alter_or_delete_entries(world):
    entry = AuditEntry.objects.first()
    entry.object_repr = "forged"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="forged")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).object_repr != "forged"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database guard is PostgreSQL's")
def test_postgresql_refuses_update_and_delete(world):
    entry = AuditEntry.objects.first()
    table = AuditEntry._meta.db_table
    for sql in (f"UPDATE {table} SET object_repr = 'forged' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, object_repr=entry.object_repr).exists()


def test_stale_edit_fails_clearly_and_changes_nothing(world, login):
    resident = world.residents["linquan1"]
    services.update_resident(world.users["cadre"], resident, 1, address="先到")
    client = login(world.users["cadre"])
    response = client.post(f"/residents/{resident.pk}/edit/", {
        "name": "后到", "id_number": "", "phone": "", "grid": resident.grid_id, "address": "后到",
        "family_doctor": "", "status": "living", "version": 1,
    })
    assert response.status_code == 200
    assert "已有其他人修改" in response.content.decode()
    resident.refresh_from_db()
    assert (resident.name, resident.address, resident.version) == ("张伟", "先到", 2)


def test_trail_shows_names_and_labels_not_ids(world, login):
    from wangge.places import services as places_services

    premises = world.premises["linquan1"]
    places_services.update_premises(world.users["cadre"], premises, 1, is_key=False, venue_code_status="posted")
    html = login(world.users["cadre"]).get(f"/premises/{premises.pk}/").content.decode()
    assert "林泉第1网格" in html and "餐饮" in html  # the grid and category of the create entry, by name
    assert "已张贴" in html and "否" in html  # choice label and boolean
    assert "address_key" not in html and "@" not in html.split('data-testid="audit-trail"')[1]
