"""Entry control (出入管理): checks of a compound's gates are inspections whose subject is the compound,
recorded through the inspections engine with the entry-control checklist seeded by migration 0004."""

import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wangge.core.models import User
from wangge.inspections import services as inspections
from wangge.inspections.choices import Outcome
from wangge.inspections.models import Checklist, Inspection

from .models import Compound

CODE = "entry_control"
CHECKLIST = (CODE, "小区出入管理检查", "防疫情：小区出入口值守、测温、扫码验码、访客登记、快递外卖无接触配送。", [
    ("gate_staffed", "出入口有人值守", "yes_no", ["no"], {"severity": "critical"}),
    ("temperature", "进入人员测温", "yes_no", ["no"], {"severity": "major"}),
    ("codes_checked", "逢进必扫、查验健康码和行程码", "yes_no", ["no"], {"severity": "critical"}),
    ("visitors_registered", "外来访客登记", "yes_no", ["no"], {"severity": "major"}),
    ("contactless", "快递外卖无接触配送（放置点交接）", "yes_no", ["no"], {"severity": "major"}),
    ("gates_closed", "非必要出入口已关闭", "yes_no", ["no"], {"severity": "minor"}),
    ("remarks", "其他情况", "text", [], {"required": False}),
])
# A rectification order needs an enforcement unit present; a compound's check records what was found and
# what was put right on the spot. Anything bigger goes to a work order raised by hand.
OUTCOMES = [(Outcome.COMPLIANT, Outcome.COMPLIANT.label), (Outcome.FIXED, Outcome.FIXED.label)]


def checklist() -> Checklist:
    found = Checklist.objects.filter(code=CODE).order_by("-id").first()
    if found is None:
        raise ValidationError({"checklist": _("The entry-control checklist is missing.")})
    return found


def record_check(actor: User, compound: Compound, *, answers: dict[str, str], outcome: str,
                 fixed_description: str = "", notes: str = "", client_id=None) -> tuple[Inspection, bool]:
    return inspections.submit_inspection(
        actor, client_id=client_id or uuid.uuid4(), subject=compound, checklist=checklist(), answers=answers,
        outcome=outcome, fixed_description=fixed_description, notes=notes, inspectors=[actor],
        outcomes=tuple(dict(OUTCOMES)))


def checks_of(compound: Compound, user: User):
    from django.contrib.contenttypes.models import ContentType

    return Inspection.objects.visible_to(user).filter(
        subject_type=ContentType.objects.get_for_model(Compound), subject_id=compound.pk).order_by("-inspected_at")
