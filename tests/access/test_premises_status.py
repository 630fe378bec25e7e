"""The by-hand status path (page and API), as every role, on a premises inside the role's scope:
only the rules of places/status_rules.py let a change through; everyone else changes nothing."""

import pytest

from wangge.core.roles import Role
from wangge.places.models import Premises

from ..conftest import make_user

BASIS = "《无证无照经营查处办法》第十三条"
DECISION = "新泾府决〔2022〕3号"
# role -> (may shut by hand, may lift a shutdown by decision)
EXPECTED = {Role.ADMIN: (False, True), Role.TOWN_ADMIN: (False, False), Role.TOWN_LEADER: (False, True),
            Role.DEPARTMENT_OFFICER: (True, False), Role.NEIGHBOURHOOD_CADRE: (False, False),
            Role.GRID_WORKER: (False, False), Role.INSPECTOR: (False, False),
            Role.FAMILY_DOCTOR: (False, False), Role.SAMPLING_STAFF: (False, False),
            Role.HEALTH_CENTRE_STAFF: (False, False)}


@pytest.mark.parametrize("role", list(Role.values))
@pytest.mark.parametrize("path", ["api", "page"])
def test_status_by_hand_per_role(world, client, role, path):
    p = world.premises["linquan1"]  # a restaurant in 林泉 grid 1, regulated by the market office
    departments = [world.departments["market"]] if role == Role.DEPARTMENT_OFFICER else []
    user = make_user(f"x_{role}", role, [world.town] if role != Role.DEPARTMENT_OFFICER else [], departments)
    client.force_login(user)
    may_shut, may_lift = EXPECTED[role]

    def send(**body):
        if path == "api":
            return client.post(f"/api/v1/premises/{p.pk}/status", body, content_type="application/json")
        return client.post(f"/premises/{p.pk}/status/", body)

    before = Premises.objects.get(pk=p.pk)
    response = send(status="shut", reason=BASIS)
    shut = Premises.objects.get(pk=p.pk)
    assert (shut.status == "shut") == may_shut, response.status_code
    assert response.status_code in ((200, 302) if may_shut else (302, 403, 404, 422))
    if not may_shut:
        assert shut.version == before.version
        world.premises["linquan1"].refresh_from_db()
        from wangge.places.services import apply_status

        apply_status(world.users["officer"], p, "shut", BASIS)
    shut = Premises.objects.get(pk=p.pk)
    response = send(status="open", decision=DECISION)
    assert (Premises.objects.get(pk=p.pk).status == "open") == may_lift, response.status_code
    if not may_lift:
        assert Premises.objects.get(pk=p.pk).version == shut.version
