"""`allowed_verbs` is exactly what the caller may do now: every verb listed succeeds, every other verb
is refused (the oracle tries each one and rolls it back), and the page shows the same buttons."""

import re

from django.db import transaction

from wangge.workorders import services
from wangge.workorders.choices import Kind, Verb

from .helpers import raise_order

BODIES = {Verb.ASSIGN: lambda w: {"assignee_id": w.users["cadre"].pk},
          Verb.VERIFY: lambda w: {"satisfaction": "satisfied"}}


def works(client, world, order, verb, token) -> bool:
    """Try the verb through the API and undo it."""
    with transaction.atomic():
        body = BODIES.get(verb, lambda w: {"comment": "说明原因"})(world)
        response = client.post(f"/api/v1/workorders/{order.pk}/{verb}", body, content_type="application/json",
                               headers={"Authorization": f"Bearer {token}"})
        transaction.set_rollback(True)
    return response.status_code == 200


def test_allowed_verbs_are_exactly_the_verbs_that_work(world, client):
    admin, worker = world.users["admin"], world.users["gridworker"]
    assigned = raise_order(world, kind=Kind.DEMAND)
    awaiting = raise_order(world, kind=Kind.DEMAND)
    services.start(worker, awaiting)
    services.submit_for_verification(worker, awaiting)
    closed = raise_order(world, kind=Kind.DEMAND)
    for verb in (services.start, services.submit_for_verification):
        verb(worker, closed)
    services.verify_and_close(admin, closed, satisfaction="satisfied")
    verbs = [v for v in services.VERB_FUNCTIONS]
    checked = 0
    for username in ("gridworker", "cadre", "inspector"):
        token = world.token(username)
        client.force_login(world.users[username])
        for order in (assigned, awaiting, closed):
            order.refresh_from_db()
            listed = client.get(f"/api/v1/workorders/{order.pk}",
                                headers={"Authorization": f"Bearer {token}"}).json()["allowed_verbs"]
            working = [v for v in verbs if works(client, world, order, v, token)]
            assert sorted(listed) == sorted(working), (username, order.state)
            page = client.get(f"/workorders/{order.pk}/").content.decode()
            assert sorted(set(re.findall(r'data-verb="(\w+)"', page))) == sorted(listed), (username, order.state)
            checked += len(listed)
    assert checked  # somebody may do something
    # The grid worker (assignee) of an assigned order: start and escalate, never assign.
    gw = client.get(f"/api/v1/workorders/{assigned.pk}",
                    headers={"Authorization": f"Bearer {world.token('gridworker')}"})
    assert sorted(gw.json()["allowed_verbs"]) == ["escalate", "start"]
