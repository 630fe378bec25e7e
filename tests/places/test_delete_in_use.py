"""Deleting a premises that tasks, inspections or orders still refer to is refused with what holds it
(409 in the API, a message on the page) and changes nothing (issue #24, 8)."""

from django.db import connection

from ..inspections.helpers import campaign


def premises_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM places_premises")
        return cursor.fetchone()[0]


def test_deleting_premises_that_tasks_refer_to_is_a_409_naming_them(world, client, login):
    campaign(world)  # plans a task for every key premises
    premises = world.premises["linquan1"]
    before = premises_count()
    token = world.token("admin")
    answer = client.delete(f"/api/v1/premises/{premises.pk}", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 409
    assert "检查任务" in answer.json()["detail"]
    assert premises_count() == before
    page = login(world.users["admin"]).post(f"/premises/{premises.pk}/delete/", follow=True)
    assert page.status_code == 200 and "检查任务" in page.content.decode()
    assert premises_count() == before
