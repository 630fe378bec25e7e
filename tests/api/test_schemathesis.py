"""Schemathesis over the whole OpenAPI document, with each kind of role's token: no 5xx, and every
response — errors included, whose one shape every operation declares — matches its documented schema.

Bounded to fit the suite: examples and fuzzing (three derandomised cases per operation, four roles)
and the coverage phase's boundary and negative cases (the first four of each operation, two roles).
The stateful phase follows the document's links (creation -> the row's own operations): six scenarios
of up to six steps as an administrator. The long run is the same file by hand, every case of the
coverage phase and a hundred stateful scenarios:

    WANGGE_FUZZ=full .venv/bin/pytest -p no:randomly -q tests/api/test_schemathesis.py

(RELIABILITY.md records its figures; WANGGE_FUZZ_EXAMPLES sets the fuzzing cases per operation.)
"""

import copy
import os
from itertools import islice

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from wangge.wsgi import application

from ..conftest import build_world, rolled_back

FULL = os.environ.get("WANGGE_FUZZ") == "full"
EXAMPLES = int(os.environ.get("WANGGE_FUZZ_EXAMPLES", "100" if FULL else "3"))
COVERAGE_CASES = None if FULL else 4  # per operation; None: all of them (about 7,800)

# The parametrized test runs examples and fuzzing; the coverage phase has its own test below.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}}})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)
# One role per kind of scope: everything, a department, an area, a doctor's residents (and few permissions).
ROLES = ["admin", "officer", "gridworker", "doctor"]
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(scope="module")
def _built_world(django_db_setup, django_db_blocker):
    """The town built once for the module's ~150 tests (conftest.rolled_back); each test's calls are
    rolled back with its own transaction."""
    with rolled_back(django_db_blocker):
        yield build_world()


@pytest.fixture
def world(db, _built_world):
    return copy.deepcopy(_built_world)


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


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors_and_schemas_hold(case, tokens):
    for role in ROLES:
        response = case.call(headers=bearer(tokens[role]))
        case.validate_response(response, checks=CHECKS)


def test_coverage_phase_boundaries_and_negative_cases(tokens):
    """Schemathesis's coverage phase: values at and beyond each declared bound, missing and wrong-typed
    fields, odd methods. Each failure is collected, so one run reports them all."""
    failures, sent = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        cases = schema.iter_coverage_cases(operation, generation_modes=list(GenerationMode),
                                           generation_config=schema.config.generation)
        for case in islice(cases, COVERAGE_CASES):
            for role in ROLES if FULL else ("admin", "gridworker"):
                response = case.call(headers=bearer(tokens[role]))
                sent += 1
                try:
                    case.validate_response(response, checks=CHECKS)
                except Exception as exc:  # noqa: BLE001  (a failed check, reported with its case)
                    failures.append(f"{role} {operation.label}: {response.status_code} {str(exc)[:300]}")
    print(f"coverage phase: {sent} requests, {len(failures)} failures")
    assert sent > 500
    assert failures == []


STATEFUL_SCENARIOS = 100 if FULL else 6


def test_stateful_phase_creates_then_reads_edits_and_deletes(tokens):
    """The stateful phase follows the document's links (api/openapi.py::add_links): a row created by a
    POST is then read, edited, moved through its verbs and deleted, as an administrator (the role that
    reaches every operation). Bounded in the suite; WANGGE_FUZZ=full runs a hundred scenarios."""
    stateful = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)  # the phase enabled
    machine = stateful.as_state_machine()
    assert machine.bundles, "the document declares no links"
    headers, calls = bearer(tokens["admin"]), []

    class AsAdministrator(machine):
        def get_call_kwargs(self, case):
            calls.append(f"{case.method} {case.path}")
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    AsAdministrator.run(settings=settings(max_examples=STATEFUL_SCENARIOS, stateful_step_count=6, deadline=None,
                                          suppress_health_check=list(HealthCheck), derandomize=True))
    linked = [c for c in calls if "{" in c]  # calls on a row an earlier step created
    print(f"stateful phase: {len(calls)} calls, {len(linked)} on created rows")
    assert len(calls) >= STATEFUL_SCENARIOS and linked
