"""Health flags are shown only to roles that may reveal personal data (COMMUNITY.md). A list of special
groups must not show them by inference either: a resident under 60, living with family and not on low
income, is in it only for a health flag. Such a resident is listed for those who may reveal, and left
out for the others, on the page and in the API; the low-income neighbour is listed for both."""

from django.urls import reverse

from wangge.community.models import Resident
from wangge.core.roles import Perm

from ..conftest import id_number


def _names(client, token) -> dict[str, set[str]]:
    page = client.get(reverse("community:special_list")).content.decode()
    due = client.get(reverse("community:special_list") + "?due=1&days=7").content.decode()
    api = client.get("/api/v1/care-visits/not-visited", headers={"Authorization": f"Bearer {token}"}).json()
    names = {"陈健康", "林低保"}
    return {"page": {n for n in names if n in page}, "due": {n for n in names if n in due},
            "api": {r["name"] for r in api["items"]} & names}


def test_a_resident_in_a_special_group_for_a_health_flag_alone_is_listed_only_for_those_who_may_reveal(world,
                                                                                                      login):
    grid = world.grids["linquan1"]
    Resident(name="陈健康", id_number=id_number("19900101", 71), grid=grid, chronic_illness=True).save()
    Resident(name="林低保", id_number=id_number("19900202", 72), grid=grid, low_income=True).save()
    leader, cadre = world.users["leader"], world.users["cadre"]
    assert not leader.can(Perm.REVEAL_PERSONAL) and cadre.can(Perm.REVEAL_PERSONAL)

    hidden = _names(login(leader), world.token("leader"))
    assert hidden == {"page": {"林低保"}, "due": {"林低保"}, "api": {"林低保"}}
    shown = _names(login(cadre), world.token("cadre"))
    assert shown == {"page": {"陈健康", "林低保"}, "due": {"陈健康", "林低保"}, "api": {"陈健康", "林低保"}}
