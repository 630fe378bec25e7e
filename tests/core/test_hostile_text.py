"""Control characters, NUL bytes and lone surrogates are cleaned where requests come in and where
ledgers go out; a body over the limit is a 413; a client cannot write its own request id into the
trail (issue #24, C and E)."""

import io
import json

from django.urls import reverse
from openpyxl import load_workbook

from wangge.core.models import AuditEntry
from wangge.places.models import Premises, PremisesCategory


def api_post(client, token, url, body: str, **extra):
    return client.post(url, body, content_type="application/json", headers={"Authorization": f"Bearer {token}"},
                       **extra)


def test_control_characters_nul_and_lone_surrogates_never_reach_the_database(world, client):
    category = PremisesCategory.objects.get(code="salon")
    body = json.dumps({"name": "x\u0001y\u0000z\ud800", "category_id": category.pk, "address": "仙霞西路\u001f21号",
                       "grid_id": world.grids["linquan1"].pk})
    created = api_post(client, world.token("cadre"), "/api/v1/premises", body)
    assert created.status_code == 201, created.content
    stored = Premises.objects.get(pk=created.json()["id"])
    assert (stored.name, stored.address) == ("xyz", "仙霞西路21号")
    searched = client.get("/api/v1/premises?q=x%00y%01", headers={"Authorization": f"Bearer {world.token('cadre')}"})
    assert searched.status_code == 200


def test_a_page_query_is_cleaned_too(world, login):
    page = login(world.users["cadre"]).get("/premises/", {"q": "丽丽\u0007美发\u0000"}).content.decode()
    assert 'value="丽丽美发"' in page and "\u0007" not in page


def test_the_town_export_survives_a_name_stored_with_a_control_character(world, login):
    Premises.objects.filter(pk=world.premises["linquan1"].pk).update(name="x\u0001y")  # written before the fix
    answer = login(world.users["admin"]).get(reverse("ledgers:export", kwargs={"kind": "premises", "fmt": "xlsx"}))
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content) if answer.streaming else answer.content))
    names = {cell for row in book.active.iter_rows(values_only=True) for cell in row}
    assert "xy" in names


def test_a_body_over_the_limit_is_a_413(world, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({"name": "x" * (2 * 1024 * 1024)})
    answer = api_post(client, world.token("cadre"), "/api/v1/premises", body)
    assert answer.status_code == 413 and set(answer.json()) == {"detail"}


def test_a_client_cannot_choose_the_request_id_its_changes_are_recorded_under(world, client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    category = PremisesCategory.objects.get(code="salon")

    def create(name, request_id, remote):
        body = json.dumps({"name": name, "category_id": category.pk, "address": "仙霞西路1号",
                           "grid_id": world.grids["linquan1"].pk})
        answer = api_post(client, world.token("cadre"), "/api/v1/premises", body, REMOTE_ADDR=remote,
                          HTTP_X_REQUEST_ID=request_id)
        assert answer.status_code == 201
        return AuditEntry.objects.filter(object_id=str(answer.json()["id"]), action="create",
                                         content_type__model="premises").get().request_id

    assert create("一号店", "deadbeef\nforged line", "10.0.0.1") != "deadbeef\nforged line"
    assert create("二号店", "someone-elses-id", "10.9.9.9") != "someone-elses-id"
    assert create("三号店", "nginx-request-0001", "10.0.0.1") == "nginx-request-0001"


def test_a_repeated_client_id_is_left_to_the_database_so_the_service_can_answer_with_the_first_record(world):
    """A retry that races the first submission reaches save_versioned after the first row is in: the
    database's unique constraint must decide (IntegrityError, which each service turns into the first
    record), not full_clean's raw "already exists" message (a 422 the client cannot act on)."""
    import datetime
    import uuid

    import pytest
    from django.db import IntegrityError, transaction

    from wangge.core.services import save_versioned
    from wangge.vaccination.models import Contact

    resident, same = world.residents["linquan1"], uuid.uuid4()
    first = Contact(resident=resident, method="phone", result="agreed", contacted_on=datetime.date(2022, 7, 12),
                    by=world.users["cadre"], client_id=same)
    save_versioned(first, None)
    retry = Contact(resident=resident, method="phone", result="agreed", contacted_on=datetime.date(2022, 7, 12),
                    by=world.users["cadre"], client_id=same)
    with pytest.raises(IntegrityError), transaction.atomic():
        save_versioned(retry, None)
