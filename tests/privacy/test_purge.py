"""`wangge purge`: exactly the expired rows of each kind are anonymised, the figures do not move, and
nothing of what was removed stays anywhere in the database (the append-only trail included)."""

import dataclasses
import io
import json

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from wangge.community.models import CareVisit, Resident, ScreeningResult, SupplyMovement
from wangge.community.privacy import anonymised_label
from wangge.community.services import care, screening
from wangge.core import privacy
from wangge.core.models import AuditEntry, ImportJob, LoginFailure
from wangge.core.tabular.kinds import all_kinds
from wangge.dashboard.period import Period
from wangge.dashboard.sources import collect
from wangge.economy.models import Enterprise
from wangge.inspections.models import Inspection, Photo
from wangge.workorders.models import WorkOrder

from .conftest import ENCRYPTED, EXPECTED, RECENT, SECRETS, days_ago


def readable(value):
    """JSON columns come back as text with \\u escapes on SQLite: read them as a person would."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.dumps(json.loads(value), ensure_ascii=False)
        except ValueError:
            return value
    return value


def dump() -> str:
    """Every row of every table, as text: what a copy of the database would show."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(str([readable(v) for v in row]) for row in cursor.fetchall())
    return "\n".join(chunks)


def figures(aged) -> dict:
    """The aggregates a purge must keep: round coverage, the dashboard's figures, ledger counts,
    special groups, stock."""
    admin = aged.hood.world.users["admin"]
    period = Period(days_ago(3000), days_ago(0))
    return {
        "coverage": [[dataclasses.asdict(c) for c in screening.coverage(r, admin)]
                     for r in (aged.old_round, aged.new_round)],
        "dashboard": [s.as_dict() for s in collect(admin, period)],
        "ledgers": {k.name: k.export_queryset(admin).count() for k in all_kinds() if k.export_permission},
        "special": care.special_groups(Resident.objects.all()).count(),
        "visits": CareVisit.objects.count(),
        "orders": list(WorkOrder.objects.values_list("kind", "state", "category", "grid_id").order_by("pk")),
        "supplies": list(SupplyMovement.objects.values_list("kind", "quantity", "balance", "on").order_by("pk")),
        "inspections": list(Inspection.objects.values_list("outcome", "violation_count").order_by("pk")),
        "enterprises": list(Enterprise.objects.values_list("status", "industry").order_by("pk")),
    }


def test_dry_run_counts_and_changes_nothing(aged):
    before, entries = dump(), AuditEntry.objects.count()
    assert privacy.purge(dry_run=True) == EXPECTED
    assert dump() == before
    assert AuditEntry.objects.count() == entries


def test_purge_anonymises_exactly_the_expired_rows(aged):
    rows = aged.rows
    assert privacy.purge() == EXPECTED

    old = ScreeningResult.objects.filter(round=aged.old_round)
    assert not old.filter(resident__isnull=False).exists()
    assert set(old.exclude(exempt_reason="").values_list("exempt_reason", flat=True)) == {anonymised_label()}
    new = ScreeningResult.objects.filter(round=aged.new_round)
    assert not new.filter(resident__isnull=True).exists()
    assert new.get(status="exempt").exempt_reason == RECENT["exempt"]

    old_visit, new_visit = (CareVisit.objects.get(pk=rows[k].pk) for k in ("visit_old", "visit_new"))
    assert (old_visit.notes, old_visit.medical_need, old_visit.condition) == ("", "", "fair")
    assert old_visit.resident_id == rows["visit_old"].resident_id
    assert (new_visit.notes, new_visit.medical_need) == (RECENT["notes"], RECENT["medical"])

    old_order, new_order = (WorkOrder.objects.get(pk=rows[k].pk) for k in ("order_old", "order_new"))
    assert (old_order.description, old_order.health_note, old_order.requester_name, old_order.subject_id,
            old_order.source_id) == ("", "", "", None, None)
    assert old_order.title == anonymised_label() and old_order.state == "closed" and old_order.category == "medical"
    assert new_order.health_note == RECENT["medical"] and new_order.subject_id == rows["order_new"].subject_id

    from django.core.files.storage import default_storage

    old_export, new_export = (type(rows[k]).objects.get(pk=rows[k].pk) for k in ("export_old", "export_fresh"))
    assert old_export.file == "" and not default_storage.exists(rows["export_old"].file)
    assert default_storage.exists(new_export.file)

    gone, left = (Resident.objects.get(pk=rows[k].pk) for k in ("gone", "left"))
    assert (gone.chronic_illness, gone.phone, gone.phone_hash, gone.phone_masked) == (False, "", "", "")
    assert gone.name == rows["gone"].name and gone.compound_id == rows["gone"].compound_id
    assert left.pregnant and left.phone == "13588889999" and left.address == "仙霞路99弄"

    old_lines = SupplyMovement.objects.filter(pk__in=[m.pk for m in rows["distribution_old"]])
    assert set(old_lines.values_list("resident_id", "household", "counterparty")) == {(None, "", "")}
    new_lines = SupplyMovement.objects.filter(pk__in=[m.pk for m in rows["distribution_new"]])
    assert not new_lines.filter(resident__isnull=True).exists()

    gone_e, left_e, active_e = (Enterprise.objects.get(pk=rows[f"enterprise_{k}"].pk) for k in ("gone", "left",
                                                                                                 "active"))
    assert (gone_e.contact_name, gone_e.contact_phone, gone_e.contact_phone_masked) == ("", "", "")
    assert left_e.contact_phone == "13611112222" and active_e.contact_name == "孙主任"

    old_inspection, new_inspection = (rows[f"inspection_{k}"] for k in ("old", "new"))
    assert Inspection.objects.filter(pk=old_inspection.pk).exists()
    assert not Photo.objects.filter(inspection=old_inspection).exists()
    kept = Photo.objects.get(inspection=new_inspection)
    assert default_storage.exists(kept.file.name) and default_storage.exists(kept.thumbnail.name)

    from wangge.vaccination.models import CensusAnswer, Contact, FollowUp, Visit

    old_answer, new_answer = (CensusAnswer.objects.get(pk=rows[f"census_{k}"].pk) for k in ("old", "new"))
    assert (old_answer.contraindication, old_answer.notes, old_answer.reason) == ("", "", "temporary")
    assert (new_answer.contraindication, new_answer.notes) == ("acute", RECENT["census"])
    assert Contact.objects.get(pk=rows["contact_old"].pk).notes == ""
    assert Contact.objects.get(pk=rows["contact_new"].pk).notes == RECENT["call"]
    old_visit, new_visit = (Visit.objects.get(pk=rows[f"vaccination_{k}"].pk) for k in ("old", "new"))
    assert (old_visit.reaction, old_visit.handling, old_visit.severity) == ("", "", "mild")
    assert old_visit.dose_id and (new_visit.reaction, new_visit.handling) == (RECENT["reaction"], RECENT["handling"])
    assert FollowUp.objects.filter(visit=old_visit, notes="").exists()

    from wangge.reports.models import PublicReport

    old_report, new_report = (PublicReport.objects.get(pk=rows[f"report_{k}"].pk) for k in ("old", "new"))
    assert (old_report.phone, old_report.phone_hash, old_report.phone_masked) == ("", "", "")
    assert old_report.description == "人行道地砖松动" and new_report.phone == "13944442222"

    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["recent-user"]
    assert ImportJob.objects.get(pk=rows["import_old"].pk).report is None  # the report after 7 days
    assert bytes(ImportJob.objects.get(pk=rows["import_new"].pk).report)  # not before
    assert bytes(ImportJob.objects.get(pk=rows["import_checked"].pk).data) == b""  # a checked file after a day
    assert bytes(ImportJob.objects.get(pk=rows["import_fresh"].pk).data) == b"x"


def test_photo_files_are_deleted(aged, django_capture_on_commit_callbacks):
    photo = Photo.objects.get(inspection=aged.rows["inspection_old"])
    names = [photo.file.name, photo.thumbnail.name]
    assert all(default_storage.exists(n) for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.purge(codes=["inspection_photos"])
    assert not any(default_storage.exists(n) for n in names)


def test_a_second_run_changes_nothing_and_each_run_leaves_one_summary(aged):
    privacy.purge()
    before, entries = dump(), AuditEntry.objects.count()
    assert set(privacy.purge().values()) == {0}
    assert dump() == before
    assert AuditEntry.objects.count() == entries
    summary = AuditEntry.objects.get(action="purge")
    assert summary.changes["counts"] == EXPECTED
    assert summary.changes["retention_days"]["screening_results"] == 180


def test_aggregates_are_equal_before_and_after(aged):
    before = figures(aged)
    privacy.purge()
    assert figures(aged) == before


def test_no_plaintext_of_purged_fields_remains_in_any_table(aged, django_capture_on_commit_callbacks):
    # Notes and health facts are encrypted at rest (test_encrypted_health_texts.py): the rest is in clear.
    in_clear = {k: v for k, v in SECRETS.items() if k not in ENCRYPTED}
    text = dump()
    assert all(secret in text for secret in in_clear.values())  # they were there
    with django_capture_on_commit_callbacks(execute=True):
        privacy.purge()
    text = dump()
    for secret in SECRETS.values():
        assert secret not in text, secret
    assert "13566667777" not in text  # the trail keeps only the masked form (135****7777), by design


def test_the_trail_keeps_health_facts_out(aged):
    """Resident, care-visit, screening and resident-need entries say what changed, never to what."""
    text = str(list(AuditEntry.objects.values_list("changes", flat=True)))
    for secret in (SECRETS["exempt"], SECRETS["notes"], SECRETS["medical"], RECENT["medical"]):
        assert secret not in text
    # ...nor in how an entry names its row: a resident-need order is "#id" there, not its title.
    order = aged.rows["order_old"]
    labels = set(AuditEntry.objects.for_object(order).values_list("object_repr", flat=True))
    assert labels <= {f"#{order.pk}", ""} and order.title not in str(list(
        AuditEntry.objects.values_list("object_repr", flat=True)))
    gone = aged.rows["gone"]
    flags = [e.changes.get("chronic_illness") for e in AuditEntry.objects.for_object(gone)]
    assert ["***", "***"] in flags and [None, "***"] in flags
    assert not any(True in pair or False in pair for pair in flags if pair)


def test_only_the_chosen_kind_and_the_retention_setting(aged, settings):
    assert privacy.purge(codes=["login_failures"]) == {"login_failures": 1}
    assert ScreeningResult.objects.filter(resident__isnull=True).count() == 0
    settings.PERSONAL_DATA_RETENTION = {**settings.PERSONAL_DATA_RETENTION, "screening_results": 160}
    assert privacy.purge(codes=["screening_results"], dry_run=True) == {"screening_results": 10}


def test_the_command(aged):
    out = io.StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "screening_results" in out.getvalue() and "would anonymise       5" in out.getvalue()
    assert ScreeningResult.objects.filter(resident__isnull=True).count() == 0
    out = io.StringIO()
    call_command("purge", "--kind", "care_visit_notes", stdout=out)
    assert "anonymised       1" in out.getvalue() and "total anonymised 1" in out.getvalue()


def test_a_purged_round_is_closed(aged):
    privacy.purge(codes=["screening_results"])
    cadre = aged.hood.world.users["cadre"]
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        screening.add_to_round(cadre, aged.old_round)
    result = ScreeningResult.objects.filter(round=aged.old_round, status="not_yet").first()
    with pytest.raises(ValidationError):
        screening.record_result(cadre, result, status="tested")


def test_status_change_is_dated(aged):
    person = aged.hood.people["bedridden"]
    assert person.status_changed_on is None
    person.status = "deceased"
    person.save()
    person.refresh_from_db()
    assert person.status_changed_on == timezone.localdate()
    person.status = "living"
    person.save()
    person.refresh_from_db()
    assert person.status_changed_on is None


def test_the_access_log_lists_each_run(aged, login):
    privacy.purge()
    page = login(aged.hood.users["admin"]).get(reverse("core:access_log")).content.decode()
    # the kind by its name, never its code (#22.4)
    assert "过期匿名化" in page and "居民的核酸筛查结果：匿名化" in page and "screening_results" not in page


def test_celery_beat_runs_it_nightly(aged):
    from wangge.celery import app
    from wangge.core.tasks import purge_task

    entry = app.conf.beat_schedule["core-purge"]
    assert entry["task"] == "core.purge" and len(entry["schedule"].day_of_week) == 7
    assert purge_task.delay().get() == EXPECTED


def test_bulk_registration_withholds_health_facts_too(hood):
    from wangge.community import services as community

    from ..conftest import id_number

    cadre = hood.world.users["cadre"]
    built = community.build_resident(community.managed_grid_ids(cadre), name="冯老太",
                                     grid=hood.world.grids["linquan1"], id_number=id_number("19350101", 91),
                                     bedridden=True, chronic_illness=True)
    [person] = community.register_residents(cadre, [built])
    [entry] = AuditEntry.objects.for_object(person)
    assert entry.changes["bedridden"] == [None, "***"] and entry.changes["pregnant"] == [None, "***"]
    assert entry.changes["lives_alone"] == [None, False]  # not a health fact
