"""Premises and road segments in the role x endpoint matrix."""

import pytest

# Premises each role sees (by grid key); None = no access to premises at all (403).
PREMISES = {
    "admin": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "leader": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "officer": {"linquan1", "beihong1"},  # the categories the market office regulates
    "cadre": {"linquan1", "linquan2"},
    "gridworker": {"linquan1", "beihong1"},  # own grid, and the segment they are road chief of
    "inspector": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "doctor": None,
    "nobody": None,
}
SEGMENTS = {
    "admin": {"xianxia", "hami"}, "leader": {"xianxia", "hami"}, "officer": set(), "cadre": {"xianxia"},
    "gridworker": {"xianxia", "hami"}, "inspector": {"xianxia", "hami"}, "doctor": None, "nobody": None,
}
ROLES = list(PREMISES)


@pytest.mark.parametrize("role", ROLES)
def test_premises_pages(world, login, role):
    client = login(world.users[role])
    expected = PREMISES[role]
    response = client.get("/premises/")
    if expected is None:
        assert response.status_code == 403
        assert client.get(f"/premises/{world.premises['linquan1'].pk}/").status_code == 403
        return
    html = response.content.decode()
    for key, premises in world.premises.items():
        assert (premises.name in html) == (key in expected), (role, key)
        status = client.get(f"/premises/{premises.pk}/").status_code
        assert status == (200 if key in expected else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_premises_api(world, client, role):
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    expected = PREMISES[role]
    response = client.get("/api/v1/premises", headers=headers)
    if expected is None:
        assert response.status_code == 403
        return
    assert {i["name"] for i in response.json()["items"]} == {world.premises[k].name for k in expected}
    for key, premises in world.premises.items():
        status = client.get(f"/api/v1/premises/{premises.pk}", headers=headers).status_code
        assert status == (200 if key in expected else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_segments_page_and_api(world, client, login, role):
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    expected = SEGMENTS[role]
    page = login(world.users[role]).get("/premises/segments/")
    response = client.get("/api/v1/road-segments", headers=headers)
    if expected is None:
        assert page.status_code == 403 and response.status_code == 403
        return
    assert {i["road"] for i in response.json()["items"]} == {world.segments[k].road for k in expected}
    html = page.content.decode()
    for key, segment in world.segments.items():
        assert (segment.road in html) == (key in expected), (role, key)
        status = client.get(f"/api/v1/road-segments/{segment.pk}", headers=headers).status_code
        assert status == (200 if key in expected else 404)


@pytest.mark.parametrize("role", ROLES)
def test_premises_export_and_map_hold_scope(world, login, role):

    from ..exported import exported_rows

    for n, premises in enumerate(world.premises.values()):  # on the map only with coordinates
        premises.latitude, premises.longitude = 31.215, 121.365 + 0.01 * n
        premises.save()
    client = login(world.users[role])
    expected = PREMISES[role]
    # The premises map's dots (the map component's premises layer): the same premises as the list.
    mapped = {p[2] for p in client.get("/maps/layers.json").json()["premises"]["points"]}
    assert mapped == {world.premises[k].name for k in expected or ()}, role
    export = client.get("/ledgers/premises/export.xlsx")
    if expected is None:
        assert export.status_code == 403
        return
    if export.status_code == 403:  # roles without the export permission
        assert role in ("gridworker", "inspector")
        return
    names = {row[0] for row in exported_rows(export.content)}
    assert names == {world.premises[k].name for k in expected}
