"""Entry-control checks are inspections whose subject is a compound, with their own checklist."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from wangge.community import entry_control
from wangge.inspections.models import Inspection

GOOD = {"gate_staffed": "yes", "temperature": "yes", "codes_checked": "yes", "visitors_registered": "yes",
        "contactless": "yes", "gates_closed": "yes"}


def test_check_is_an_inspection_of_the_compound(hood, login):
    compound = hood.compounds["linquan1"]
    client_id = uuid.uuid4()
    inspection, created = entry_control.record_check(hood.users["gridworker"], compound, answers=GOOD,
                                                     outcome="compliant", client_id=client_id)
    assert created and inspection.subject == compound and inspection.grid == compound.grid
    assert inspection.checklist.code == "entry_control"
    again, created = entry_control.record_check(hood.users["gridworker"], compound, answers=GOOD,
                                                outcome="compliant", client_id=client_id)
    assert again == inspection and not created
    # A violation cannot be called compliant; fixed on the spot says what was fixed.
    with pytest.raises(ValidationError):
        entry_control.record_check(hood.users["gridworker"], compound, answers={**GOOD, "temperature": "no"},
                                   outcome="compliant")
    fixed, _ = entry_control.record_check(hood.users["gridworker"], compound, answers={**GOOD, "temperature": "no"},
                                          outcome="fixed", fixed_description="当场补设测温点")
    assert fixed.violation_count == 1
    page = login(hood.users["cadre"]).get(f"/residents/compounds/{compound.pk}/").content.decode()
    assert page.count("/inspections/records/") == 2


def test_out_of_scope_compound_is_refused(hood):
    with pytest.raises(ValidationError):
        entry_control.record_check(hood.users["gridworker"], hood.compounds["beihong1"], answers=GOOD,
                                   outcome="compliant")
    assert not Inspection.objects.exists()


def test_page_and_api(hood, login, client):
    compound = hood.compounds["linquan1"]
    web = login(hood.users["gridworker"])
    assert web.get(f"/residents/compounds/{compound.pk}/entry-check/").status_code == 200
    data = {f"item_{k}": v for k, v in GOOD.items()} | {"outcome": "compliant", "client_id": str(uuid.uuid4())}
    assert web.post(f"/residents/compounds/{compound.pk}/entry-check/", data).status_code == 302
    headers = {"Authorization": f"Bearer {hood.world.token('gridworker')}"}
    response = client.post(f"/api/v1/compounds/{compound.pk}/entry-checks", content_type="application/json",
                           data={"answers": GOOD, "outcome": "compliant", "client_id": str(uuid.uuid4())},
                           headers=headers)
    assert response.status_code == 201, response.content
    assert len(client.get(f"/api/v1/compounds/{compound.pk}/entry-checks", headers=headers).json()) == 2


def test_one_outcome_rule_one_message(hood, client):
    """#20.18: a violated check called compliant, and a check given an outcome an entry check does not
    offer, answer with the same rule: the messages name exactly the outcomes the entry check allows."""
    from django.utils import translation

    from wangge.inspections.choices import Outcome

    compound = hood.compounds["linquan1"]
    headers = {"Authorization": f"Bearer {hood.world.token('gridworker')}"}
    url = f"/api/v1/compounds/{compound.pk}/entry-checks"
    messages = []
    for outcome in ("compliant", "rectification", "shutdown"):
        response = client.post(url, content_type="application/json", headers=headers, data={
            "answers": {**GOOD, "temperature": "no"}, "outcome": outcome, "client_id": str(uuid.uuid4())})
        assert response.status_code == 422, response.content
        errors = response.json()["errors"]
        assert [e["field"] for e in errors] == ["outcome"], errors
        messages.append(errors[0]["message"])
    with translation.override("zh-hans"):
        fixed, rectification, shutdown = (str(Outcome(o).label) for o in ("fixed", "rectification", "shutdown"))
    for message in messages:
        assert fixed in message, message
        assert rectification not in message and shutdown not in message, message
    assert messages[1] == messages[2]
    assert not Inspection.objects.exists()
