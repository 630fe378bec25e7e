"""Characters that are digits to str.isdigit() but not to int() ("²", "①") in a query string or a
subject label are ignored or not found — never a 500."""

import pytest

URLS = [
    "/vaccination/register/?hood=²&compound=①",
    "/vaccination/worklist/?hood=²",
    "/residents/care/?days=²",
    "/residents/?grid=²&compound=²",
    "/premises/?grid=²",
    "/economy/enterprises/not-visited/?days=²",
    "/workorders/new/?subject=places.premises:²",
    "/inspections/subject/places.premises/1/inspect/",
]


@pytest.mark.parametrize("url", URLS)
def test_odd_digits_are_answered(world, login, url):
    assert login(world.users["admin"]).get(url).status_code < 500


def test_odd_digits_in_an_inspection_subject_are_a_404(world, client):
    response = client.post("/api/v1/inspections", {"client_id": "00000000-0000-4000-8000-000000000009",
                                                   "subject": "places.premises:²"}, content_type="application/json",
                           headers={"Authorization": f"Bearer {world.token('inspector')}"})
    assert response.status_code in (404, 422)
