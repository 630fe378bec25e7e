"""The staff API: list, read, create, edit with a version, status, waiting time, shift figures."""

import datetime

from django.utils import timezone

from wangge.sampling.models import SamplingSite, SiteShift

BASE = "/api/v1/sampling-sites"


def _auth(world, username):
    return {"Authorization": f"Bearer {world.token(username)}"}


def test_create_and_edit_with_hours_and_version(client, world, sites):
    headers = _auth(world, "cadre")
    body = {"code": "LQ9", "name": "林泉新点", "address": "林泉路9号", "grid_id": world.grids["linquan2"].pk,
            "site_type": "temporary", "capacity_per_hour": 150, "latitude": "31.210123",
            "hours": [{"weekday": 4, "opens": "20:00", "closes": "02:00"}]}
    created = client.post(BASE, body, content_type="application/json", headers=headers)
    assert created.status_code == 201, created.json()
    site = created.json()
    assert site["hours"] == [{"weekday": 4, "opens": "20:00:00", "closes": "02:00:00"}] and site["version"] == 1
    url = f"{BASE}/{site['id']}"
    patched = client.patch(url, {"version": 1, "name": "林泉新点（改）", "hours": []}, content_type="application/json",
                           headers=headers)
    assert patched.status_code == 200 and patched.json()["hours"] == [] and patched.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "name": "旧版本"}, content_type="application/json", headers=headers)
    assert stale.status_code == 409
    assert SamplingSite.objects.get(pk=site["id"]).name == "林泉新点（改）"


def test_bad_input_gets_field_errors_and_changes_nothing(client, world, sites):
    headers = _auth(world, "cadre")
    outside = {"code": "X", "name": "X", "address": "X", "grid_id": world.grids["beihong1"].pk}
    response = client.post(BASE, outside, content_type="application/json", headers=headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "grid_id"
    overlap = {"code": "Y", "name": "Y", "address": "Y", "grid_id": world.grids["linquan1"].pk,
               "hours": [{"weekday": 1, "opens": "07:00", "closes": "12:00"},
                         {"weekday": 1, "opens": "11:00", "closes": "13:00"}]}
    response = client.post(BASE, overlap, content_type="application/json", headers=headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "hours"
    bad_day = {**overlap, "hours": [{"weekday": 7, "opens": "07:00", "closes": "12:00"}]}
    assert client.post(BASE, bad_day, content_type="application/json", headers=headers).status_code == 422
    duplicate = {**overlap, "code": sites["linquan1"].code, "hours": []}
    assert client.post(BASE, duplicate, content_type="application/json", headers=headers).status_code == 422
    assert not SamplingSite.objects.filter(code__in=["X", "Y"]).exists()


def test_status_wait_and_shifts(client, world, sites):
    site = sites["linquan1"]
    url = f"{BASE}/{site.pk}"
    cadre, sampler = _auth(world, "cadre"), _auth(world, "sampler")
    no_reason = client.post(f"{url}/status", {"status": "paused"}, content_type="application/json", headers=cadre)
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    paused = client.post(f"{url}/status", {"status": "paused", "reason": "高温"}, content_type="application/json",
                         headers=cadre)
    assert paused.json()["status"] == "paused" and paused.json()["open_now"] is False
    assert client.post(f"{url}/status", {"status": "open"}, content_type="application/json",
                       headers=sampler).status_code == 403
    wait = client.post(f"{url}/wait", {"minutes": 30}, content_type="application/json", headers=sampler)
    assert wait.status_code == 200 and wait.json()["wait_minutes"] == 30
    assert client.post(f"{url}/wait", {"minutes": 601}, content_type="application/json",
                       headers=sampler).status_code == 422
    day = timezone.localdate().isoformat()
    shift = {"date": day, "shift": "morning", "samples": 380, "staff_count": 4, "volunteer_count": 6}
    first = client.post(f"{url}/shifts", shift, content_type="application/json", headers=sampler)
    assert first.status_code == 200 and first.json()["result"] == "created"
    again = client.post(f"{url}/shifts", {**shift, "samples": 400}, content_type="application/json", headers=sampler)
    assert again.json()["result"] == "updated" and SiteShift.objects.get().samples == 400
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    bad = client.post(f"{url}/shifts", {**shift, "date": future}, content_type="application/json", headers=sampler)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "date"
    listed = client.get(f"{url}/shifts", headers=sampler).json()
    assert listed["count"] == 1 and listed["items"][0]["samples"] == 400


def test_staff_api_needs_a_login_and_the_permission(client, world, sites):
    assert client.get(BASE).status_code == 401
    assert client.get(BASE, headers=_auth(world, "doctor")).status_code == 403
    assert client.post(BASE, {}, content_type="application/json", headers=_auth(world, "sampler")).status_code in (
        403, 422)
    body = {"code": "Z", "name": "Z", "address": "Z", "grid_id": world.grids["linquan1"].pk}
    assert client.post(BASE, body, content_type="application/json", headers=_auth(world, "sampler")).status_code == 403
