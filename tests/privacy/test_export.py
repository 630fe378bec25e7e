"""A resident's data on request (PIPL Art. 45): everything held, unmasked, in the file only; logged
with the reason like a reveal; 404 outside the scope, 403 without the right to reveal; the command."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from wangge.core import privacy
from wangge.core.models import AuditEntry

SECTIONS = ["record", "screening", "care_visits", "distributions", "work_orders", "vaccination_doses",
            "vaccination_census", "vaccination_contacts", "vaccination_appointments", "vaccination_visits",
            "vaccination_follow_ups", "changes", "access"]


def export(client, resident, reason="居民本人申请查阅", fmt="xlsx"):
    return client.post(reverse("community:resident_export", args=[resident.pk]), {"reason": reason, "format": fmt})


def test_the_file_holds_every_section_with_the_right_rows(aged, login):
    person = aged.hood.people["alone"]  # two care visits, four distributions, two need orders
    client = login(aged.hood.users["cadre"])
    client.post(reverse("community:resident_reveal", args=[person.pk]), {"field": "phone", "reason": "回访"})
    response = export(client, person, fmt="json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="resident-{person.pk}.json"'
    body = json.loads(response.content)
    assert list(body) == SECTIONS
    record = body["record"]["rows"][0]
    assert person.id_number in record.values() and record["姓名"] == person.name
    assert record["独居"] == "是"
    assert len(body["screening"]["rows"]) == 2
    visits = body["care_visits"]["rows"]
    assert len(visits) == 2 and "血压偏高头晕" in json.dumps(visits, ensure_ascii=False)
    assert len(body["distributions"]["rows"]) == 2
    assert len(body["work_orders"]["rows"]) == 2
    assert len(body["vaccination_doses"]["rows"]) == 2 and len(body["vaccination_contacts"]["rows"]) == 2
    # A cadre may reveal personal data but not see health facts: those sections are withheld from their export.
    for code in ("vaccination_census", "vaccination_visits", "vaccination_follow_ups"):
        assert list(body[code]["rows"][0]) == ["未导出"], code
    assert "对鸡蛋蛋白过敏" not in response.content.decode() and "接种后胸闷气短" not in response.content.decode()
    assert body["changes"]["rows"]  # created, changed
    access = body["access"]["rows"]
    assert len(access) == 1 and "回访" in access[0]["详情"]
    # An exporter who may see health facts (the administrator) gets them in full: the person's own copy.
    body = json.loads(export(login(aged.hood.users["admin"]), person, fmt="json").content)
    assert len(body["vaccination_census"]["rows"]) == 2
    assert "对鸡蛋蛋白过敏" in json.dumps(body["vaccination_census"], ensure_ascii=False)  # their own copy: in full
    assert len(body["vaccination_visits"]["rows"]) == 2
    assert "接种后胸闷气短" in json.dumps(body["vaccination_visits"], ensure_ascii=False)
    assert len(body["vaccination_follow_ups"]["rows"]) == 2 and body["vaccination_appointments"]["rows"] == []


def test_the_workbook_has_one_sheet_per_section(aged, login):
    person = aged.hood.people["bedridden"]
    response = export(login(aged.hood.users["cadre"]), person)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == len(SECTIONS)
    values = [c for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    assert person.id_number in values and "是" in values  # bedridden


def test_the_export_is_logged_and_the_id_is_only_in_the_file(aged, login):
    person = aged.hood.people["alone"]
    client = login(aged.hood.users["cadre"])
    export(client, person)
    entry = AuditEntry.objects.for_object(person).get(action="export")
    assert entry.actor_name == "cadre" and entry.changes["reason"] == "居民本人申请查阅"
    assert person.id_number not in json.dumps(entry.changes)
    page = client.get(reverse("community:resident_detail", args=[person.pk])).content.decode()
    assert person.id_number not in page and 'data-testid="export-person"' in page
    admin = login(aged.hood.users["admin"])
    log = admin.get(reverse("core:access_log")).content.decode()
    assert "居民本人申请查阅" in log and person.id_number not in log


def test_a_reason_is_required(aged, login):
    person = aged.hood.people["alone"]
    response = export(login(aged.hood.users["cadre"]), person, reason=" ")
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="export").exists()


def test_outside_the_scope_is_404_and_without_reveal_rights_403(aged, login):
    world = aged.hood.world
    assert export(login(world.users["cadre"]), world.residents["beihong1"]).status_code == 404
    assert export(login(world.users["gridworker"]), world.residents["linquan2"]).status_code == 404
    for role in ("leader", "inspector", "officer"):
        assert export(login(world.users[role]), world.residents["linquan1"]).status_code == 403
    assert login(world.users["cadre"]).get(
        reverse("community:resident_export", args=[world.residents["linquan1"].pk])).status_code == 405
    page = login(world.users["leader"]).get(
        reverse("community:resident_detail", args=[world.residents["linquan1"].pk])).content.decode()
    assert 'data-testid="export-person"' not in page
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_command(aged, tmp_path):
    person = aged.hood.people["alone"]
    out = tmp_path / "person.json"
    call_command("export_person", "--id-number", person.id_number.lower(), "--reason", "信访件2022-15",
                 "-o", str(out), "--user", "cadre", stdout=io.StringIO())
    body = json.loads(out.read_text())
    assert list(body) == SECTIONS and person.id_number in json.dumps(body)
    assert AuditEntry.objects.for_object(person).get(action="export").changes["reason"] == "信访件2022-15"
    xlsx = tmp_path / "person.xlsx"
    call_command("export_person", "--id-number", person.id_number, "--reason", "申请", "-o", str(xlsx),
                 stdout=io.StringIO())
    assert load_workbook(xlsx).sheetnames
    beihong = aged.hood.world.residents["beihong1"]
    with pytest.raises(CommandError):
        call_command("export_person", "--id-number", beihong.id_number, "--reason", "申请", "-o", str(out),
                     "--user", "cadre")
    with pytest.raises(CommandError):
        call_command("export_person", "--id-number", person.id_number, "--reason", "申请", "-o", str(out),
                     "--user", "leader")


def test_a_new_kind_is_a_few_lines(aged):
    """What the vaccination app will do: register a kind and a section in its privacy.py."""
    from wangge.core.models import LoginFailure

    kind = privacy.register_kind(privacy.PersonalDataKind(
        code="test_kind", label="test", purpose="test", legal_basis="test", default_days=1,
        expired=lambda cutoff: LoginFailure.objects.filter(at__lt=cutoff), anonymise=lambda qs: qs.delete()[0]))
    try:
        assert privacy.purge(codes=["test_kind"], dry_run=True) == {"test_kind": 2}
    finally:
        privacy.KINDS.pop(kind.code)
