"""Every API operation answers odd input with a 4xx, never a 500 (a small fuzz over the OpenAPI paths)."""

import re

import pytest

BODIES = ["{}", "[]", '{"version": "x", "grid_id": -1, "name": null}', "{bad", '{"reason": "' + "长" * 5000 + '"}']


@pytest.mark.parametrize("role", ["admin", "gridworker"])
def test_every_operation_survives_odd_input(world, client, role):
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    document = client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, operations in document["paths"].items():
        for method in operations:
            for ident in ("1", "999999", "-5"):
                url = re.sub(r"\{[^}]+\}", ident, path)
                if method == "get":
                    response = client.get(url + "?page=0&grid=abc&status=nonsense", headers=headers)
                    assert response.status_code < 500, (method, url, response.content[:300])
                    checked += 1
                    continue
                for body in BODIES:
                    response = getattr(client, method)(url, body, content_type="application/json", headers=headers)
                    assert response.status_code < 500, (method, url, body, response.content[:300])
                    assert response["Content-Type"].startswith("application/json"), (method, url)
                    checked += 1
    assert checked > 100


def test_field_sync_takes_any_offset_python_accepts(world, client):
    """Found by the long fuzzing run on PostgreSQL: `since` with an offset of -17:58 reached the database,
    which allows ±15:59 (a 500). It is read as the same moment in UTC."""
    token = world.token("gridworker")
    for since in ("0223-09-06T15:47:42.7-17:58", "0001-01-01T00:00:00+23:59", "2022-07-11T08:00:00+08:00"):
        answer = client.get("/api/v1/field/sync", {"since": since}, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, (since, answer.content[:200])
