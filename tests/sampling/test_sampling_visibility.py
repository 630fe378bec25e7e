"""Sampling sites in the role x endpoint matrix: pages, API, export, and the writes."""


import pytest
from django.utils import timezone

from wangge.sampling import services

# Sites each role sees (by grid key); None = no access at all (403).
SITES = {
    "admin": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "leader": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "officer": set(),  # department scope, and sites belong to no department
    "cadre": {"linquan1", "linquan2"},
    "gridworker": {"linquan1"},
    "inspector": {"linquan1", "linquan2", "beihong1", "beihong2"},
    "doctor": None,
    "nobody": None,
    "sampler": {"linquan1", "linquan2"},
}
ROLES = list(SITES)


@pytest.mark.parametrize("role", ROLES)
def test_pages(world, sites, login, role):
    client = login(world.users[role])
    expected = SITES[role]
    response = client.get("/sampling/")
    if expected is None:
        assert response.status_code == 403
        assert client.get(f"/sampling/{sites['linquan1'].pk}/").status_code == 403
        return
    html = response.content.decode()
    for key, site in sites.items():
        assert (site.name in html) == (key in expected), (role, key)
        assert client.get(f"/sampling/{site.pk}/").status_code == (200 if key in expected else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_api(world, sites, client, role):
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    expected = SITES[role]
    response = client.get("/api/v1/sampling-sites", headers=headers)
    if expected is None:
        assert response.status_code == 403
        assert client.get(f"/api/v1/sampling-sites/{sites['linquan1'].pk}", headers=headers).status_code == 403
        return
    assert {i["name"] for i in response.json()["items"]} == {sites[k].name for k in expected}
    for key, site in sites.items():
        for path in (f"/api/v1/sampling-sites/{site.pk}", f"/api/v1/sampling-sites/{site.pk}/shifts"):
            assert client.get(path, headers=headers).status_code == (200 if key in expected else 404), (role, path)


@pytest.mark.parametrize("role", ROLES)
def test_export_holds_scope(world, sites, login, role):
    from ..exported import exported_rows

    for site in sites.values():
        services.record_shift(world.users["admin"], site, timezone.localdate(), "morning", samples=100,
                              staff_count=2, volunteer_count=3)
    response = login(world.users[role]).get("/ledgers/sampling-throughput/export.xlsx")
    if role not in ("admin", "leader", "officer", "cadre"):  # the roles that may export
        assert response.status_code in (403, 404)
        return
    names = {row[0] for row in exported_rows(response.content)}
    assert names == {sites[k].name for k in SITES[role]}


@pytest.mark.parametrize("role", ["cadre", "sampler", "gridworker"])
def test_writes_outside_scope_are_404_and_change_nothing(world, sites, login, client, role):
    outside = sites["beihong1"]
    expected = 403 if role == "gridworker" else 404  # grid workers may see sites but not report
    page = login(world.users[role])
    assert page.post(f"/sampling/{outside.pk}/wait/", {"minutes": 10}).status_code == expected
    headers = {"Authorization": f"Bearer {world.token(role)}"}
    assert client.post(f"/api/v1/sampling-sites/{outside.pk}/wait", {"minutes": 10}, content_type="application/json",
                       headers=headers).status_code == expected
    outside.refresh_from_db()
    assert outside.wait_minutes is None
