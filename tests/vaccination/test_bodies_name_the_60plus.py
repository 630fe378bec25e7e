"""#24.E: a request body may name only people on the 60+ register (aged 60 or more today) among those
the caller sees: a doctor cannot book, contact or dose a younger resident through the drive's API."""

from wangge.community.models import Resident

from ..conftest import id_number


def test_a_younger_resident_is_refused_field_by_field(world, client):
    doctor = world.users["doctor"]
    young = Resident(name="小青年", id_number=id_number("19900101", 77), grid=world.grids["linquan1"],
                     family_doctor=doctor)
    young.save()
    headers = {"Authorization": f"Bearer {world.token('doctor')}"}
    body = {"method": "phone", "result": "agreed"}
    refused = client.post("/api/v1/vaccination/contacts", {"resident_id": young.pk, **body},
                          content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["resident_id"]
    elder = world.residents["linquan1"]  # born 1952, the doctor's
    accepted = client.post("/api/v1/vaccination/contacts", {"resident_id": elder.pk, **body},
                           content_type="application/json", headers=headers)
    assert accepted.status_code == 201, accepted.content
