"""A town with personal data of every kind, some past its retention and some just inside it."""

import datetime
import uuid
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from wangge.community import services as community
from wangge.community.choices import ResidentStatus, ScreeningStatus
from wangge.community.models import Resident, ScreeningResult, SupplyItem
from wangge.community.services import care, screening, supplies
from wangge.core.models import ExportJob, ImportJob, LoginFailure
from wangge.economy.choices import EnterpriseStatus
from wangge.economy.models import Enterprise
from wangge.inspections import services as inspections
from wangge.inspections.photos import process_pending
from wangge.workorders.models import WorkOrder

from ..community.conftest import hood  # noqa: F401  (the fixture)
from ..inspections.helpers import COMPLIANT, checklists, photo

# Texts that must be gone from every table after a purge (the expired rows hold them).
SECRETS = {"exempt": "长期卧床无法下楼", "notes": "血压偏高头晕", "medical": "需要降压药氨氯地平",
           "contact": "钱经理", "login": "guessed-user", "ip": "10.9.8.7", "census": "对鸡蛋蛋白过敏",
           "call": "女儿说下周陪同", "reaction": "接种后胸闷气短", "handling": "吸氧后缓解"}
# Stored encrypted (never in a copy of the database), the others in clear.
ENCRYPTED = ("exempt", "notes", "medical", "census", "call", "reaction", "handling")
RECENT = {"exempt": "住院治疗中", "notes": "精神很好", "medical": "需要轮椅一台", "census": "等血压稳定",
          "call": "本人同意预约", "reaction": "注射部位红肿", "handling": "冷敷观察"}


@dataclass
class Aged:
    hood: object
    now: datetime.datetime
    old_round: object = None
    new_round: object = None
    rows: dict = field(default_factory=dict)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def aged(hood, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    w = hood.world
    cadre, now = w.users["cadre"], timezone.now()
    a = Aged(hood, now)
    lq = hood.compounds["linquan1"]
    people = hood.people

    # Screening: a round 200 days ago (past 180) and one 170 days ago (just inside).
    for attr, ago, reason in (("old_round", 200, SECRETS["exempt"]), ("new_round", 170, RECENT["exempt"])):
        rnd = screening.open_round(cadre, name=f"第{ago}天", date=days_ago(ago), compounds=[lq])
        results = {r.resident_id: r for r in rnd.results.all()}
        screening.record_result(cadre, results[people["young"].pk], status=ScreeningStatus.TESTED)
        screening.record_result(cadre, results[people["bedridden"].pk], status=ScreeningStatus.EXEMPT,
                                exempt_reason=reason)
        screening.record_result(cadre, results[people["away"].pk], status=ScreeningStatus.AWAY)
        setattr(a, attr, rnd)

    # Care visits with needs (each need raises a resident-need order): 800 days ago and 700 days ago.
    for key, ago, texts in (("old", 800, SECRETS), ("new", 700, RECENT)):
        visit, _created = care.record_care_visit(
            cadre, people["alone"], visited_on=days_ago(ago), visitors="社工小李", condition="fair",
            notes=texts["notes"], needs={"medical": texts["medical"]}, today=days_ago(ago))
        a.rows[f"visit_{key}"] = visit
        order = WorkOrder.objects.get(source_id=visit.pk, kind="resident_need")
        WorkOrder.objects.filter(pk=order.pk).update(state="closed", closed_at=now - datetime.timedelta(days=ago))
        a.rows[f"order_{key}"] = order

    # Former residents: one moved out 400 days ago (past 365), one 300 days ago.
    for key, person, ago, flag in (("gone", people["away"], 400, "chronic_illness"),
                                   ("left", people["young"], 300, "pregnant")):
        fields = {f: getattr(person, f) for f in community.EDITABLE}
        fields.update(status=ResidentStatus.MOVED_OUT, phone="13566667777" if key == "gone" else "13588889999",
                      address="仙霞路99弄", **{flag: True})
        person = community.update_resident(cadre, person, person.version, **fields)
        Resident.objects.filter(pk=person.pk).update(status_changed_on=days_ago(ago))
        a.rows[key] = person

    # Supplies: a distribution 1200 days ago (past 1095) and one 1000 days ago.
    site = supplies.open_site(cadre, compound=lq)
    item = SupplyItem.objects.create(name="米", unit="袋")
    supplies.receive(cadre, site, item, 20, on=days_ago(1300))
    stock = site.stocks.get()
    for key, ago in (("old", 1200), ("new", 1000)):
        lines = supplies.distribute(cadre, stock, [people["alone"], people["bedridden"]], 2, on=days_ago(ago))
        a.rows[f"distribution_{key}"] = lines

    # Enterprises: one deregistered 400 days ago, one 300 days ago, one active for years.
    enterprises = (("gone", EnterpriseStatus.DEREGISTERED, 400), ("left", EnterpriseStatus.MOVED_OUT, 300),
                   ("active", EnterpriseStatus.ACTIVE, 2000))
    for n, (key, status, ago) in enumerate(enterprises):
        e = Enterprise(name=f"企业{key}", credit_code=f"91310105MA1FL000{n}X", address="天山路1号",
                       grid=w.grids["linquan1"], status=status,
                       contact_name=SECRETS["contact"] if key == "gone" else "孙主任", contact_phone="13611112222")
        e.save()
        if key == "gone":  # a demand from its visit: the order names the contact person as its requester
            from wangge.economy.services import Demand, record_visit

            record_visit(w.users["admin"], e, visited_on=days_ago(ago + 30), visitors="经发办",
                         operating_status="normal", impact="slight", demands=[Demand("financing", "申请贷款贴息")],
                         today=days_ago(ago + 30))
            a.rows["enterprise_order"] = WorkOrder.objects.get(requester_unit=e.name)
        Enterprise.objects.filter(pk=e.pk).update(updated_at=now - datetime.timedelta(days=ago))
        a.rows[f"enterprise_{key}"] = e

    # Inspection photos: 400 days ago (past 365) and 300 days ago.
    lists = checklists()
    for key, ago in (("old", 400), ("new", 300)):
        inspection, _created = inspections.submit_inspection(
            w.users["inspector"], client_id=uuid.uuid4(), premises=w.premises["linquan1"],
            checklist=lists["epidemic"], answers=dict(COMPLIANT), outcome="compliant",
            inspectors=[w.users["officer"]], photos=[("", photo())])
        type(inspection).objects.filter(pk=inspection.pk).update(inspected_at=now - datetime.timedelta(days=ago))
        a.rows[f"inspection_{key}"] = inspection
    process_pending()  # as the worker leaves them: re-encoded, with thumbnails

    # Failed sign-ins (90 days); error reports (7 days); checked files waiting for their import (1 day).
    LoginFailure.objects.create(username=SECRETS["login"], ip=SECRETS["ip"], at=now - datetime.timedelta(days=95))
    LoginFailure.objects.create(username="recent-user", ip="10.1.1.1", at=now - datetime.timedelta(days=85))
    for key, ago, data in (("old", 8, b""), ("new", 6, b""), ("checked", 2, b"x"), ("fresh", 0.5, b"x")):
        job = ImportJob.objects.create(kind="residents", filename=f"{key}.xlsx", data=data,
                                       report=b"310105195203040111", created_by=cadre,
                                       finished_at=now - datetime.timedelta(days=ago))
        ImportJob.objects.filter(pk=job.pk).update(created_at=now - datetime.timedelta(days=ago))
        a.rows[f"import_{key}"] = job
    # A long export's file (1 day): one written two days ago is deleted, one from this morning kept.
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    for key, ago in (("old", 2), ("fresh", 0.2)):
        name = default_storage.save(f"exports/{key}.csv", ContentFile(SECRETS["login"].encode()))
        a.rows[f"export_{key}"] = ExportJob.objects.create(
            kind="residents", fmt="csv", created_by=cadre, status="done", file=name,
            finished_at=now - datetime.timedelta(days=ago))
    add_vaccination(a, w.users["admin"], people["alone"])
    add_public_reports(a, now)
    assert ScreeningResult.objects.count() == 10  # five living in the compound, two rounds
    return a


def add_vaccination(a: Aged, admin, elder) -> None:
    """Census answers and contacts 800 days ago (past 730) and 700 days ago; adverse reactions 2000
    days ago (past 1825) and 1700 days ago."""
    from wangge.vaccination.models import VaccinationPoint
    from wangge.vaccination.services import census, day, outreach

    for key, ago, texts in (("old", 800, SECRETS), ("new", 700, RECENT)):
        a.rows[f"census_{key}"] = census.record_answer(
            admin, elder, reason="temporary", contraindication="acute", until=days_ago(ago - 30),
            asked_on=days_ago(ago), notes=texts["census"])
        a.rows[f"contact_{key}"], _new = outreach.record_contact(
            admin, elder, method="phone", result="later", contacted_on=days_ago(ago), notes=texts["call"])
    point = VaccinationPoint.objects.create(name="社区卫生服务中心接种点", grid=a.hood.world.grids["linquan1"])
    for key, ago, texts in (("old", 2000, SECRETS), ("new", 1700, RECENT)):
        moment = a.now - datetime.timedelta(days=ago)
        visit = day.vaccinate(admin, day.check_in(admin, point, elder, now=moment), vaccine_type="inactivated",
                              now=moment)
        a.rows[f"vaccination_{key}"] = day.release(admin, visit, reaction=texts["reaction"], severity="mild",
                                                   handling=texts["handling"],
                                                   now=moment + datetime.timedelta(minutes=31))


def add_public_reports(a: Aged, now) -> None:
    """Reporters' phones: one order closed 400 days ago (past 365), one 300 days ago."""
    from wangge.reports import services as reports

    for key, ago, phone in (("old", 400, "13944443333"), ("new", 300, "13944442222")):
        report = reports.submit_report(category="roads", description="人行道地砖松动", address="仙霞西路5号",
                                       phone=phone)
        closed_at = now - datetime.timedelta(days=ago)
        WorkOrder.objects.filter(pk=report.order_id).update(state="closed", closed_at=closed_at)
        a.rows[f"report_{key}"] = report


EXPECTED = {"screening_results": 5, "care_visit_notes": 1, "former_residents": 1, "supply_distributions": 2,
            "resident_need_orders": 1, "enterprise_contacts": 1, "inspection_photos": 1, "login_failures": 1,
            "import_files": 1, "import_uploads": 1, "export_files": 1,
            "vaccination_census": 1, "vaccination_contacts": 1,
            "vaccination_reactions": 1, "public_report_phones": 1}
