"""The 8 a.m. rush (#23 goal 4, docs/PERFORMANCE.md): what one inspection submitted through the API costs
in SQL statements, and that what the cheaper path answers and records is what the full path did."""

import base64
import uuid

from django.contrib.contenttypes.models import ContentType

from wangge.core.models import AuditEntry
from wangge.inspections import risk
from wangge.inspections.models import Inspection, Photo, RiskScore

from .helpers import COMPLIANT, checklists, photo


def _body(premises, **extra):
    picture = base64.b64encode(photo(size=(640, 480)).read()).decode()
    return {"client_id": str(uuid.uuid4()), "premises_id": premises.pk, "answers": dict(COMPLIANT),
            "outcome": "compliant", "photos": [{"item": "", "name": "现场.jpg", "data": picture}], **extra}


def test_one_api_submission_costs_27_statements(world, client, settings, tmp_path, django_assert_num_queries):
    settings.MEDIA_ROOT = str(tmp_path)
    checklists()
    premises = world.premises["linquan1"]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.token('inspector')}"}
    warm = client.post("/api/v1/inspections", _body(premises), content_type="application/json", **headers)
    assert warm.status_code == 201, warm.content  # the token's last use is now recent: not written again
    body = _body(premises, inspector_ids=[world.users["officer"].pk])
    # Before (2026-12-06): 52 here (49 without the second inspector; 50 on a server, where the token's use
    # was written too and BEGIN/COMMIT are not counted). Now 27:
    #  4  the token with the address's recent sign-in failures; the user's roles, areas and the area tree
    #  4  the body's ids in the user's scope (premises_id; inspector_ids: the user's towns, the people)
    #     and the inspectors themselves
    #  1  the savepoint of the submission's transaction (BEGIN on a server, not a statement)
    #  1  an inspection with this client id already?
    #  1  the premises, in the user's scope, locked
    #  1  its open rectification order (which the inspection would decide)
    #  3  the current checklist, its items and their categories
    #  3  savepoint, the inspection's insert, release (the client id's race is caught there)
    #  3  one insert each: the inspectors, the answers, the photos
    #  4  the risk score: the premises with category and scan flag, violations, open orders; its update
    #  1  the trail: the inspection, its inspectors and its photo in one insert
    #  1  the release of the transaction's savepoint (COMMIT on a server)
    # The answer is made from the rows the submission holds: nothing is read back.
    with django_assert_num_queries(27):
        response = client.post("/api/v1/inspections", body, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    answered = response.json()
    inspection = Inspection.objects.get(pk=answered["id"])

    # What it answered is what a fresh read of the inspection gives.
    again = client.get(f"/api/v1/inspections/{inspection.pk}", **headers).json()
    assert answered == again
    assert sorted(answered["inspector_ids"]) == sorted([world.users["inspector"].pk, world.users["officer"].pk])
    assert [a["item_code"] for a in answered["answers"]] == [a.item.code for a in inspection.answers.all()]
    assert len(answered["photos"]) == 1

    # The trail: the same three entries as one by one — the inspection, its inspectors, its photo.
    trail = list(AuditEntry.objects.filter(request_id=AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Inspection), object_id=str(inspection.pk),
        action="create").request_id).order_by("id"))
    assert [(e.content_type.model, e.action) for e in trail] == [
        ("inspection", "create"), ("inspection", "update"), ("photo", "create")]
    assert trail[1].changes == {"inspectors": [[], sorted(answered["inspector_ids"])]}
    assert trail[0].changes["client_id"] == [None, body["client_id"]]
    assert trail[2].object_id == str(Photo.objects.get(inspection=inspection).pk)
    assert {e.actor_id for e in trail} == {world.users["inspector"].pk}

    # The risk score stored is the one computed from scratch.
    stored = RiskScore.objects.get(premises=premises)
    assert (stored.score, stored.reasons) == risk.compute([premises.pk])[premises.pk]
