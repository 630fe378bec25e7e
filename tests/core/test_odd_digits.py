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


HUGE = "99999999999999999999"  # beyond any database key: SQLite refused to bind it (OverflowError, a 500)
FILTERS = [f"/workorders/?grid={HUGE}", f"/workorders/?department={HUGE}", f"/workorders/?area={HUGE}",
           f"/premises/?grid={HUGE}", f"/premises/?category={HUGE}", f"/premises/segments/?grid={HUGE}",
           f"/economy/enterprises/?park={HUGE}", f"/inspections/records/?campaign={HUGE}",
           f"/residents/?grid={HUGE}", f"/residents/?compound={HUGE}", f"/residents/compounds/?grid={HUGE}"]


@pytest.mark.parametrize("url", FILTERS)
def test_an_id_beyond_any_key_in_a_filter_finds_nothing(world, login, url):
    """A filter by an id no row can have lists no row: 200 and an empty list, not every row and not a 500."""
    response = login(world.users["admin"]).get(url)
    assert response.status_code == 200
    page = response.context.get("page")
    assert page is not None and page.paginator.count == 0


def test_a_bulk_assignment_naming_an_id_beyond_any_key_is_refused(world, login):
    response = login(world.users["admin"]).post("/workorders/bulk-assign/", {
        "ids": ["9223372036854775808"], "assignee": world.users["gridworker"].pk})
    assert response.status_code in (302, 403)
