"""Schemathesis over the whole OpenAPI document, once per kind of role's token: no 5xx and no response
that breaks its documented schema. Bounded to fit the suite: the examples and fuzzing phases, three
derandomised cases per operation, each sent as four roles (every kind of scope: all, department, area,
doctor)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from wangge.wsgi import application

# The fuzzing phase only: the coverage phase's hundreds of boundary cases per operation do not fit the
# suite's time budget (run them by hand: `schemathesis run` against a server).
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
# One role per kind of scope: everything, a department, an area, a doctor's residents (and few permissions).
ROLES = ["admin", "officer", "gridworker", "doctor"]


@pytest.fixture
def tokens(world):
    # As Django's own test client does: requests made through WSGI must not close the test's connection
    # (it holds the test's transaction; on PostgreSQL a closed one would look like an outage).
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {role: world.token(role) for role in ROLES}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors_and_schemas_hold(case, tokens):
    for role in ROLES:
        response = case.call(headers={"Authorization": f"Bearer {tokens[role]}"})
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
