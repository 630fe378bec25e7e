"""Role x endpoint: which residents and areas each role sees, on pages and in the API.

Later issues add their endpoints to ENDPOINT tables here, so a role that sees too much or too
little anywhere fails the suite.
"""

import pytest

# Which residents (by grid key) each role sees; None = the role may not see residents at all (403).
RESIDENTS = {
    "admin": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "leader": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "officer": None,
    "cadre": {"linquan1", "linquan2"},
    "gridworker": {"linquan1"},
    "inspector": None,
    "doctor": {"linquan1", "linquan2", "beihong2"},
    "nobody": None,
}
# Which areas each role sees through the API.
AREAS = {
    "admin": {"town", "linquan", "beihong", "linquan1", "linquan2", "beihong1", "beihong2"},
    "leader": {"town", "linquan", "beihong", "linquan1", "linquan2", "beihong1", "beihong2"},
    "officer": set(),
    "cadre": {"linquan", "linquan1", "linquan2"},
    "gridworker": {"linquan1"},
    "inspector": {"town", "linquan", "beihong", "linquan1", "linquan2", "beihong1", "beihong2"},
    "doctor": set(),
    "nobody": set(),
}
ROLES = list(RESIDENTS)


def _area_keys(world, ids):
    by_id = {world.town.pk: "town"} | {a.pk: k for k, a in world.hoods.items()} | {
        a.pk: k for k, a in world.grids.items()}
    return {by_id[i] for i in ids}


@pytest.mark.parametrize("role", ROLES)
def test_resident_list_page(world, login, role):
    client = login(world.users[role])
    response = client.get("/residents/")
    expected = RESIDENTS[role]
    if expected is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    for key, resident in world.residents.items():
        assert (resident.name in html) == (key in expected), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_resident_detail_page(world, login, role):
    client = login(world.users[role])
    expected = RESIDENTS[role]
    for key, resident in world.residents.items():
        status = client.get(f"/residents/{resident.pk}/").status_code
        if expected is None:
            assert status == 403, (role, key)
        else:
            assert status == (200 if key in expected else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_resident_api_list_and_detail(world, client, role):
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    expected = RESIDENTS[role]
    response = client.get("/api/v1/residents", headers=headers)
    if expected is None:
        assert response.status_code == 403
        assert response.json()["detail"]
    else:
        assert response.status_code == 200
        names = {item["name"] for item in response.json()["items"]}
        assert names == {world.residents[k].name for k in expected}
    for key, resident in world.residents.items():
        status = client.get(f"/api/v1/residents/{resident.pk}", headers=headers).status_code
        if expected is None:
            assert status == 403
        else:
            assert status == (200 if key in expected else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_area_api(world, client, role):
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    response = client.get("/api/v1/areas", headers=headers)
    assert response.status_code == 200
    assert _area_keys(world, [a["id"] for a in response.json()["items"]]) == AREAS[role]
    outside = world.grids["beihong2"]
    status = client.get(f"/api/v1/areas/{outside.pk}", headers=headers).status_code
    assert status == (200 if "beihong2" in AREAS[role] else 404)


@pytest.mark.parametrize("role", ROLES)
def test_resident_export_holds_scope(world, login, role):

    from ..exported import exported_rows

    client = login(world.users[role])
    response = client.get("/ledgers/residents/export.xlsx")
    expected = RESIDENTS[role]
    if expected is None or role == "gridworker" or role == "doctor":  # roles without the export permission
        assert response.status_code == 403
        return
    assert response.status_code == 200
    rows = exported_rows(response.content)
    assert {row[0] for row in rows} == {world.residents[k].name for k in expected}


def test_staff_pages_for_admins_only(world, login):
    for role in ROLES:
        client = login(world.users[role])
        for url in ("/staff/users/", "/staff/areas/", "/staff/departments/", "/staff/routes/", "/staff/access-log/",
                    f"/staff/users/{world.users['cadre'].pk}/", f"/staff/areas/{world.grids['linquan1'].pk}/",
                    f"/staff/departments/{world.departments['market'].pk}/",
                    f"/staff/users/{world.users['cadre'].pk}/password/"):
            assert client.get(url).status_code == (200 if role == "admin" else 403), (role, url)


@pytest.mark.parametrize("role", ROLES)
def test_reference_and_staff_api(world, client, role):
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["username"] == role
    assert client.get("/api/v1/departments", headers=headers).status_code == 200
    users = client.get("/api/v1/users", headers=headers)
    other = world.users["cadre" if role != "cadre" else "doctor"]
    detail = client.get(f"/api/v1/users/{other.pk}", headers=headers)
    if role == "admin":
        assert users.status_code == 200 and users.json()["count"] == len(world.users)
        assert detail.status_code == 200
    else:
        assert users.status_code == 403 and detail.status_code == 403
