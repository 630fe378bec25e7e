"""A database that went away answers 503 with Retry-After (JSON in the API, a page elsewhere), so
clients retry; a real defect is still a 500. (The real outage — PostgreSQL restarted under load — is
the fault run of benchmarks/load.py --restart-postgres, RELIABILITY.md.)"""

from django.db import OperationalError

from wangge.core.errors import is_connection_error, server_error


def test_connection_errors_are_told_apart_from_defects():
    assert is_connection_error(OperationalError("could not connect to server"))
    assert is_connection_error(OperationalError("the database system is shutting down"))
    assert not is_connection_error(OperationalError("database is locked"))  # SQLite: a defect to look at
    assert not is_connection_error(ValueError("connection refused"))


def test_pages_answer_503_with_retry_after(rf):
    try:
        raise OperationalError("connection failed: server closed the connection unexpectedly")
    except OperationalError:
        page, api = server_error(rf.get("/premises/")), server_error(rf.get("/api/v1/premises"))
    assert page.status_code == api.status_code == 503 and page["Retry-After"] == api["Retry-After"] == "5"
    assert "503" in page.content.decode() and b"detail" in api.content
    try:
        raise ValueError("a real defect")
    except ValueError:
        assert server_error(rf.get("/api/v1/premises")).status_code == 500


def test_the_api_answers_503_too(rf):
    from wangge.api.api import api

    response = api.on_exception(rf.get("/api/v1/premises"), OperationalError("terminating connection"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert api.on_exception(rf.get("/api/v1/premises"), RuntimeError("bug")).status_code == 500
