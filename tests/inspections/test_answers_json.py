"""#20.11: a phone's number field sends a JSON number; it is read like the typed text (0 included)."""

import uuid

from wangge.inspections.models import Answer, Inspection, Task

from .helpers import COMPLIANT, campaign


def test_json_numbers_and_booleans_are_answers(world, client):
    c = campaign(world)
    task = Task.objects.get(campaign=c, premises=world.premises["linquan1"], reason="scope")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token('inspector')}"}
    answers = dict(COMPLIANT, staff_count=0, staff_tested=0.0, disinfection=True)
    body = {"client_id": str(uuid.uuid4()), "task_id": task.pk, "answers": answers, "outcome": "compliant",
            "inspector_ids": [world.users["officer"].pk]}
    response = client.post("/api/v1/inspections", body, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    stored = {a.item.code: (a.value, a.number) for a in Answer.objects.select_related("item")}
    assert stored["staff_count"] == ("0", 0) and stored["staff_tested"] == ("0", 0)
    assert stored["disinfection"][0] == "yes"
    # A number still obeys the item's rules: more tested than on duty is refused, field by field.
    other = Task.objects.get(campaign=c, premises=world.premises["beihong1"], reason="scope")
    bad = dict(body, client_id=str(uuid.uuid4()), task_id=other.pk, answers=dict(COMPLIANT, staff_count=3,
                                                                                  staff_tested=4))
    response = client.post("/api/v1/inspections", bad, content_type="application/json", **headers)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["answers.staff_tested"]
    assert Inspection.objects.count() == 1
