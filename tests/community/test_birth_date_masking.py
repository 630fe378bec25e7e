"""The masked ID number hides exactly the eight digits of the birth date, so wherever a role that may
not reveal personal data sees the masked number, it must not find the full birth date beside it: the
resident's 变更记录 (page and API) and a masked export. The oracle is the resident's own ID number: the
test tries the attack — every date it is shown, put into the masked number — and no guess may be right."""

import csv
import io
import re

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from wangge.core.models import AuditEntry
from wangge.core.roles import Perm

DATES = re.compile(r"(\d{4})[-年/](\d{1,2})[-月/](\d{1,2})")


def _rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return rows[1:]  # under the line that names the export's scope


def _guesses(masked: str, text: str) -> set[str]:
    """Every ID number the masked one and a date shown in `text` would make."""
    return {masked[:6] + f"{y}{int(m):02d}{int(d):02d}" + masked[-4:] for y, m, d in DATES.findall(text)}


def test_a_role_without_reveal_cannot_rebuild_an_id_number_from_the_trail_or_a_masked_export(world, login):
    leader = world.users["leader"]
    assert leader.can(Perm.VIEW_AUDIT) and leader.can(Perm.EXPORT) and not leader.can(Perm.REVEAL_PERSONAL)
    resident = world.residents["linquan1"]
    real, masked = resident.id_number, resident.id_number_masked
    assert resident.birth_date.isoformat() == "1952-03-04" and "19520304" not in masked
    # An entry written before the birth date was withheld holds it in clear; it is shown withheld too.
    AuditEntry.objects.create(content_type=ContentType.objects.get_for_model(resident), object_id=str(resident.pk),
                              object_repr="旧记录", action="update",
                              changes={"birth_date": ["1952-03-04", "1952-03-04"]})
    client = login(leader)

    api = client.get(f"/api/v1/residents/{resident.pk}").json()
    assert api["id_number"] == masked and api["birth_date"] is None
    trail = client.get(f"/api/v1/residents/{resident.pk}/audit")
    assert trail.status_code == 200 and len(trail.json()) >= 2
    assert real not in _guesses(masked, trail.content.decode())
    page = client.get(reverse("community:resident_detail", args=[resident.pk]))
    assert page.status_code == 200 and "变更记录" in page.content.decode()
    assert real not in _guesses(masked, page.content.decode())

    export = client.get(reverse("ledgers:export", kwargs={"kind": "residents", "fmt": "csv"}))
    rows = _rows(export)
    header, row = rows[0], next(r for r in rows[1:] if r[0] == resident.name)
    assert row[header.index("身份证号")] == masked
    assert row[header.index("出生日期")] == "1952-**-**"
    assert real not in _guesses(masked, ",".join(row))


def test_a_role_that_may_reveal_still_exports_the_birth_date_in_full(world, login):
    cadre = world.users["cadre"]
    assert cadre.can(Perm.REVEAL_PERSONAL) and cadre.can(Perm.EXPORT)
    export = login(cadre).get(reverse("ledgers:export", kwargs={"kind": "residents", "fmt": "csv"}),
                              {"unmasked": "1", "reason": "核对户籍"})
    rows = _rows(export)
    header, row = rows[0], next(r for r in rows[1:] if r[0] == world.residents["linquan1"].name)
    assert row[header.index("出生日期")] == "1952-03-04"
