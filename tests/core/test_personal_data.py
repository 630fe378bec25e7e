"""Personal data: encrypted at rest, masked in every output, revealed one value at a time, logged."""

import logging
from io import BytesIO

from django.db import connection
from openpyxl import load_workbook

from wangge.core import crypto
from wangge.core.logging import mask_text
from wangge.core.models import AuditEntry

from ..conftest import id_number


def _all_text_in_database() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(str(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_no_plaintext_id_or_phone_in_any_table(world, client):
    world.token("cadre")
    dump = _all_text_in_database()
    for resident in world.residents.values():
        assert resident.id_number not in dump
        assert resident.id_number[:14] not in dump  # not even the birth-date part beside the area code
        if resident.phone:
            assert resident.phone not in dump
    # ...yet the values come back in clear through the model, and the hash finds them.
    r = world.residents["linquan1"]
    r.refresh_from_db()
    assert r.id_number == id_number("19520304", 11)
    assert r.id_number_hash == crypto.keyed_hash(r.id_number)


def test_masked_in_html(world, login):
    r = world.residents["linquan1"]
    client = login(world.users["cadre"])
    for url in ("/residents/", f"/residents/{r.pk}/", f"/residents/{r.pk}/edit/"):
        html = client.get(url).content.decode()
        assert r.id_number not in html and r.phone not in html, url
    html = client.get(f"/residents/{r.pk}/").content.decode()
    assert "310105********" + r.id_number[-4:] in html
    assert "139****5678" in html


def test_masked_in_json(world, client):
    r = world.residents["linquan1"]
    headers = {"Authorization": f"Bearer {world.token('admin')}"}
    for url in ("/api/v1/residents", f"/api/v1/residents/{r.pk}"):
        body = client.get(url, headers=headers).content.decode()
        assert r.id_number not in body and r.phone not in body
        assert "139****5678" in body


def test_masked_in_xlsx_export_and_export_logged(world, login):
    client = login(world.users["cadre"])
    response = client.get("/ledgers/residents/export.xlsx")
    assert response.status_code == 200
    cells = [str(c) for row in load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True)
             for c in row]
    assert any(c.startswith("310105********") for c in cells)
    for r in world.residents.values():
        assert r.id_number not in cells and (not r.phone or r.phone not in cells)
    entry = AuditEntry.objects.filter(action="export").get()
    assert entry.changes["masked"] is True and entry.actor_name == "cadre"


def test_validation_errors_do_not_echo_values(world, login, client):
    bad = id_number("19520304", 11)[:-1] + ("0" if id_number("19520304", 11)[-1] != "0" else "1")
    page = login(world.users["cadre"]).post("/residents/new/", {
        "name": "测试", "id_number": bad, "phone": "13912340000x", "grid": world.grids["linquan1"].pk,
        "status": "living"})
    html = page.content.decode()
    assert page.status_code == 200 and bad not in html and "13912340000" not in html
    assert 'data-field="id_number"' in html and 'data-field="phone"' in html
    headers = {"Authorization": f"Bearer {world.token('cadre')}"}
    api = client.post("/api/v1/residents", {"name": "测试", "id_number": bad, "phone": "13912340000x",
                                            "grid_id": world.grids["linquan1"].pk},
                      content_type="application/json", headers=headers)
    assert api.status_code == 422
    assert bad not in api.content.decode() and "13912340000" not in api.content.decode()
    assert {e["field"] for e in api.json()["errors"]} == {"id_number", "phone"}


def test_duplicate_id_number_is_refused_without_echo(world, login):
    existing = world.residents["linquan1"].id_number
    response = login(world.users["cadre"]).post("/residents/new/", {
        "name": "重复", "id_number": existing, "grid": world.grids["linquan2"].pk, "status": "living"})
    html = response.content.decode()
    assert response.status_code == 200 and existing not in html
    assert "已登记" in html or "already registered" in html


def test_reveal_needs_permission_and_reason_and_is_logged(world, login, client):
    r = world.residents["linquan1"]
    cadre = login(world.users["cadre"])
    no_reason = cadre.post(f"/residents/{r.pk}/reveal/", {"field": "id_number", "reason": ""})
    assert r.id_number not in no_reason.content.decode()
    shown = cadre.post(f"/residents/{r.pk}/reveal/", {"field": "id_number", "reason": "上门核对身份"})
    assert r.id_number in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]  # not kept by the browser or a proxy
    entry = AuditEntry.objects.filter(action="reveal").get()
    assert entry.changes == {"field": "id_number", "reason": "上门核对身份"} and entry.actor_name == "cadre"
    assert r.id_number not in str(entry.changes)
    # A leader may see the list but not reveal.
    leader = {"Authorization": f"Bearer {world.token('leader')}"}
    denied = client.post(f"/api/v1/residents/{r.pk}/reveal", {"field": "phone", "reason": "查看"},
                         content_type="application/json", headers=leader)
    assert denied.status_code == 403 and r.phone not in denied.content.decode()
    assert AuditEntry.objects.filter(action="reveal").count() == 1
    by_api = client.post(f"/api/v1/residents/{r.pk}/reveal", {"field": "phone", "reason": "回访"},
                         content_type="application/json", headers={"Authorization": f"Bearer {world.token('cadre')}"})
    assert by_api.json()["value"] == r.phone and "no-store" in by_api["Cache-Control"]


def test_log_lines_are_masked(caplog):
    text = "saved 310105195203040113 with phone 13912345678"
    assert mask_text(text) == "saved 310105********0113 with phone 139****5678"
    logger = logging.getLogger("wangge.test")
    from wangge.core.logging import MaskPersonalDataFilter

    handler_filter = MaskPersonalDataFilter()
    record = logger.makeRecord("wangge.test", logging.INFO, __file__, 1, "id %s", ("310105195203040113",), None)
    handler_filter.filter(record)
    assert record.getMessage() == "id 310105********0113"


def test_key_rotation_keeps_old_rows_readable(world, settings):
    from cryptography.fernet import Fernet

    r = world.residents["linquan1"]
    old_keys = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old_keys]
    crypto.clear_key_cache()
    try:
        from django.core.management import call_command

        r.refresh_from_db()
        assert r.phone == "13912345678"
        call_command("rotate_keys")
        settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
        crypto.clear_key_cache()
        r.refresh_from_db()
        assert r.phone == "13912345678"
    finally:
        settings.FIELD_ENCRYPTION_KEYS = old_keys
        crypto.clear_key_cache()
