"""#20.9: a care visit's medical need copied into the resident-need work order it opens follows the
visit's rule everywhere the order shows: page, list, board, search, API, for every role in scope."""

import json

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from wangge.community.services import care
from wangge.core.models import ApiToken
from wangge.core.privacy import reads_health_text
from wangge.core.roles import Role
from wangge.workorders.models import WorkOrder

from ..community.conftest import hood  # noqa: F401  (the fixture)

NEED = "降压药氨氯地平快吃完了"


@pytest.fixture
def need_order(hood):  # noqa: F811
    visit, _new = care.record_care_visit(
        hood.users["cadre"], hood.people["alone"], visited_on=timezone.localdate(), visitors="居委",
        condition="fair", needs={"medical": NEED, "daily_life": "代买米面"})
    order = WorkOrder.objects.get(source_id=visit.pk, category="medical")
    return visit, order


def _sees(user, order) -> bool:
    return reads_health_text(user) or order.assignee_id == user.pk


def test_the_order_holds_the_need_encrypted_and_no_column_in_clear(need_order):
    _visit, order = need_order
    assert order.health_note == NEED and NEED not in order.description and NEED not in order.title
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {WorkOrder._meta.db_table} WHERE id = %s", [order.pk])  # noqa: S608
        assert NEED not in str(cursor.fetchall())
    daily = WorkOrder.objects.get(source_id=order.source_id, category="daily_life")
    assert daily.description == "代买米面" and daily.health_note == ""  # not a health fact: as before


@pytest.mark.parametrize("username", ["leader", "cadre", "gridworker", "officer", "doctor", "inspector"])
def test_pages_api_and_search_follow_the_visits_rule(need_order, hood, client, username):  # noqa: F811
    visit, order = need_order
    user = hood.users[username]
    if not WorkOrder.objects.visible_to(user).filter(pk=order.pk).exists():
        return  # out of scope: the generated access test covers it
    sees = _sees(user, order)
    client.force_login(user)
    on_visit = client.get(reverse("community:care_visit_detail", args=[visit.pk]))
    if on_visit.status_code == 200:  # the order shows what the visit shows, no more
        assert (NEED in on_visit.content.decode()) == sees, username
    detail = client.get(reverse("workorders:order_detail", args=[order.pk])).content.decode()
    assert (NEED in detail) == sees and 'data-testid="health-note"' in detail, username
    for url in (reverse("workorders:order_list"), reverse("workorders:order_board")):
        assert NEED not in client.get(url).content.decode(), (username, url)
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    api = client.get(f"/api/v1/workorders/{order.pk}", headers=headers).json()
    assert api["health_note"] == (NEED if sees else None) and NEED not in api["description"], username
    listed = json.dumps(client.get("/api/v1/workorders", headers=headers).json(), ensure_ascii=False)
    assert (NEED in listed) == sees, username
    # The title names the need ("…：就医配药"): a role that may not see health facts does not find the
    # order by those words, only by whom it is about; the need's own text is never searched.
    for words, found in (("就医", sees), ("降压药", False), (hood.people["alone"].name, True)):
        ids = [o["id"] for o in client.get("/api/v1/workorders", {"q": words}, headers=headers).json()["items"]]
        assert (order.pk in ids) == found, (username, words)
        page = client.get(reverse("workorders:order_list"), {"q": words}).content.decode()
        link = reverse("workorders:order_detail", args=[order.pk])
        assert (f'href="{link}"' in page) == found, (username, words)


def test_the_assignee_reads_what_they_must_act_on(need_order, hood, client):  # noqa: F811
    from wangge.workorders import services

    _visit, order = need_order
    leader = hood.users["leader"]
    assert Role.TOWN_LEADER in leader.roles and not reads_health_text(leader)
    services.assign(leader, order, leader)
    client.force_login(leader)
    assert NEED in client.get(reverse("workorders:order_detail", args=[order.pk])).content.decode()


def test_the_migration_moves_a_copy_written_before(need_order):
    from importlib import import_module

    from django.apps import apps

    _visit, order = need_order
    WorkOrder.objects.filter(pk=order.pk).update(description=NEED, health_note="")  # as an older version wrote it
    import_module("wangge.workorders.migrations.0006_health_note").move_medical_needs(apps, None)
    order.refresh_from_db()
    assert (order.description, order.health_note) == ("", NEED)
