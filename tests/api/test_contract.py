"""The API contract in the OpenAPI document: the one error shape declared on every operation, stable
operation ids, a description for every parameter (issue #24, 10), and error bodies that match it,
checked with jsonschema (not our code)."""

import json
import re

import jsonschema

from wangge.api.api import api

STATUSES = {"400", "401", "403", "404", "409", "422", "429"}


def document():
    return api.get_openapi_schema()


def test_every_operation_declares_the_error_shape_for_every_refusal():
    schema = document()
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in STATUSES:
                declared = operation["responses"].get(status, {}).get("content", {}).get("application/json", {})
                if declared.get("schema") != {"$ref": "#/components/schemas/Error"}:
                    missing.append(f"{method} {path} {status}")
    assert missing == []
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_operation_ids_follow_the_url_and_are_unique():
    ids = {}
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            expected = method + "_" + re.sub(r"[-/]+", "_", re.sub(r"{(\w+)}", r"by_\1",
                                                                  path.removeprefix("/api/v1/"))).strip("_")
            assert operation["operationId"] == expected.rstrip("_")
            ids[operation["operationId"]] = path
    assert len(ids) == sum(len(ops) for ops in document()["paths"].values())
    assert ids["get_premises_by_premises_id"] == "/api/v1/premises/{premises_id}"


def test_every_parameter_is_described():
    undescribed = [f"{method} {path} {p['name']}" for path, ops in document()["paths"].items()
                   for method, op in ops.items() for p in op.get("parameters", []) if not p.get("description")]
    assert undescribed == []


def test_error_bodies_match_the_declared_shape(world, client):
    schema = document()["components"]["schemas"]["Error"]
    token = world.token("gridworker")
    auth = {"Authorization": f"Bearer {token}"}
    answers = [
        client.post("/api/v1/premises", "{not json", content_type="application/json", headers=auth),  # 400
        client.get("/api/v1/premises"),  # 401
        client.get("/api/v1/users", headers=auth),  # 403
        client.get("/api/v1/premises/999999", headers=auth),  # 404
        client.post("/api/v1/premises", {"name": ""}, content_type="application/json", headers=auth),  # 422
    ]
    assert [a.status_code for a in answers] == [400, 401, 403, 404, 422]
    for answer in answers:
        jsonschema.validate(json.loads(answer.content), schema)
