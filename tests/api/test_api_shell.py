"""The API shell: OpenAPI document, auth, and one error shape for every failure."""

import pytest
from openapi_spec_validator import validate

from wangge.core.models import ApiToken


@pytest.fixture
def cadre_headers(world):
    return {"Authorization": f"Bearer {world.token('cadre')}"}


def test_openapi_document_is_valid(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/residents" in document["paths"]


def test_docs_page_loads_nothing_from_other_hosts(client, db):
    html = client.get("/api/v1/docs").content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html and "https://" not in html


def test_no_credentials_is_json_401(client, db):
    response = client.get("/api/v1/residents")
    assert response.status_code == 401
    assert response.json() == {"detail": response.json()["detail"]} and response.json()["detail"]


def test_bad_token_is_401(client, db):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer wg_nonsense"})
    assert response.status_code == 401


def test_deactivated_users_token_stops_working(world, client):
    token = world.token("cadre")
    user = world.users["cadre"]
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_session_auth_needs_csrf_for_writes(world, login):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.users["cadre"])
    assert strict.get("/api/v1/me").status_code == 200
    response = strict.post("/api/v1/residents", {}, content_type="application/json")
    assert response.status_code == 403 and "detail" in response.json()


@pytest.mark.parametrize("body", ["{bad", "[1, 2", "\x00\xff", '"just a string"', "null", "[]"])
def test_malformed_json_is_json_4xx(world, client, cadre_headers, body):
    response = client.post("/api/v1/residents", body, content_type="application/json", headers=cadre_headers)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


def test_validation_errors_list_each_field(world, client, cadre_headers):
    response = client.post("/api/v1/residents", {"name": "", "grid_id": "x"}, content_type="application/json",
                           headers=cadre_headers)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"name", "id_number", "grid_id"} <= fields
    assert all(e["message"] for e in response.json()["errors"])


def test_unknown_endpoint_and_object_are_json_404(world, client, cadre_headers):
    for url in ("/api/v1/no-such-thing", "/api/v1/residents/999999", "/api/v1/areas/0"):
        response = client.get(url, headers=cadre_headers)
        assert response.status_code == 404 and response.json()["detail"], url


def test_forbidden_is_json_403(world, client):
    headers = {"Authorization": f"Bearer {world.token('inspector')}"}
    response = client.get("/api/v1/users", headers=headers)
    assert response.status_code == 403 and response.json()["detail"]


def test_create_then_conflicting_edit(world, client, cadre_headers):
    from ..conftest import id_number

    created = client.post("/api/v1/residents", {
        "name": "新居民", "id_number": id_number("19550101", 51), "phone": "13911112222",
        "grid_id": world.grids["linquan2"].pk}, content_type="application/json", headers=cadre_headers)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["id_number"].startswith("310105********") and body["version"] == 1
    ok = client.patch(f"/api/v1/residents/{body['id']}", {"address": "一", "version": 1},
                      content_type="application/json", headers=cadre_headers)
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"/api/v1/residents/{body['id']}", {"address": "二", "version": 1},
                         content_type="application/json", headers=cadre_headers)
    assert stale.status_code == 409 and stale.json()["detail"]
    assert client.get(f"/api/v1/residents/{body['id']}", headers=cadre_headers).json()["address"] == "一"


def test_cannot_place_a_resident_outside_own_area(world, client, cadre_headers):
    from ..conftest import id_number

    response = client.post("/api/v1/residents", {
        "name": "越界", "id_number": id_number("19550101", 53), "grid_id": world.grids["beihong1"].pk},
        content_type="application/json", headers=cadre_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "grid_id"


def test_token_command_creates_and_revokes(world):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("token", "create", "cadre", stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("wg_")
    stored = ApiToken.objects.get(user=world.users["cadre"])
    assert stored.key_hash == ApiToken.hash(raw) and raw not in (stored.key_hash, stored.prefix)
    call_command("token", "revoke", "cadre", stdout=StringIO())
    assert not ApiToken.objects.filter(user=world.users["cadre"]).exists()


def test_family_doctor_must_be_a_family_doctor(world, client, cadre_headers):
    from ..conftest import id_number

    response = client.post("/api/v1/residents", {
        "name": "甲", "id_number": id_number("19550101", 61), "grid_id": world.grids["linquan1"].pk,
        "family_doctor_id": world.users["leader"].pk}, content_type="application/json", headers=cadre_headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "family_doctor_id"
