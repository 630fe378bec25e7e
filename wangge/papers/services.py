"""The verbs of enforcement papers: make one from an inspection (numbered), have the party sign it or
record the refusal with a witness (it is then issued, final), void it, and correct it (void, then a
new paper with a new number; numbers are never reused). Every change is in the audit trail."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.roles import Perm
from wangge.core.services import require
from wangge.inspections.models import Inspection
from wangge.places.regulators import regulator_of

from . import signature as signatures
from .choices import PaperKind, PaperStatus
from .content import allowed_kinds, compose
from .models import Paper
from .numbering import format_number, next_sequence, unit_of


def issuing_department(inspection):
    """The unit whose name and number the paper bears: the unit its rectification was routed to, else the
    premises category's unit, else an enforcement unit of one of its inspectors."""
    if inspection.work_order_id and inspection.work_order.department_id:
        return inspection.work_order.department
    regulator = regulator_of(inspection.premises)
    if regulator is not None:
        return regulator
    people = [*inspection.inspectors.all(), *([inspection.submitted_by] if inspection.submitted_by else [])]
    for person in people:
        for department in person.departments.filter(is_enforcement=True).order_by("code"):
            return department
    return None


def _check_actor(actor, inspection) -> None:
    require(actor, Perm.INSPECT)
    if not Inspection.objects.visible_to(actor).filter(pk=inspection.pk).exists():
        raise PermissionDenied


def make_paper(actor, inspection: Inspection, kind: str, *, note: str = "", replaces: Paper | None = None) -> Paper:
    """A new paper of `kind` from the inspection, numbered, awaiting the party's signature."""
    _check_actor(actor, inspection)
    note = (note or "").strip()
    if kind not in PaperKind.values:
        raise ValidationError({"kind": _("Choose a kind of paper.")})
    if kind not in allowed_kinds(inspection):
        raise ValidationError({"kind": _("This inspection cannot give this paper (%(kind)s).") % {
            "kind": PaperKind(kind).label}})
    if len(note) > 1000:
        raise ValidationError({"note": _("At most 1000 characters.")})
    department = issuing_department(inspection)
    if department is None:
        raise ValidationError({"kind": _("No unit can issue this paper: the premises' category has no regulating "
                                         "unit and no inspector belongs to an enforcement unit.")})
    prefix, issuer = unit_of(department)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            if Paper.objects.select_for_update().filter(inspection=inspection, kind=kind).exclude(
                    status=PaperStatus.VOID).exists():
                raise ValidationError({"kind": _("This inspection has this paper already. Void it to correct it.")})
            sequence = next_sequence(department, kind, today.year)
            paper = Paper(kind=kind, inspection=inspection, premises=inspection.premises,
                          work_order=inspection.work_order, grid=inspection.grid, department=department,
                          issuer_name=issuer, year=today.year, sequence=sequence,
                          number=format_number(prefix, kind, today.year, sequence), issued_on=today,
                          content=compose(inspection, kind, today), note=note, made_by=actor, replaces=replaces)
            paper.save()
    except IntegrityError as exc:  # a second live paper of the kind made at the same moment
        raise ValidationError({"kind": _("This inspection has this paper already. Void it to correct it.")}) from exc
    return paper


def _locked_awaiting(actor, paper: Paper) -> Paper:
    _check_actor(actor, paper.inspection)
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    if paper.status != PaperStatus.AWAITING:
        raise ValidationError({"status": _("This paper is final (%(status)s): void it and make a new one to "
                                           "correct it.") % {"status": paper.get_status_display()}})
    return paper


def sign(actor, paper: Paper, upload) -> Paper:
    """The party signed on the pad: the PNG is checked and kept with the paper, which is now issued."""
    png = signatures.prepare(upload)
    with transaction.atomic():
        paper = _locked_awaiting(actor, paper)
        paper.signature.name = signatures.store(png)
        paper.status, paper.signed_at, paper.delivered_by = PaperStatus.ISSUED, timezone.now(), actor
        paper.version += 1
        paper.save()
    return paper


def refuse(actor, paper: Paper, witness: str) -> Paper:
    """The party would not sign: the witness's name is recorded and the paper is issued all the same."""
    witness = " ".join((witness or "").split())
    if len(witness) < 2:
        raise ValidationError({"witness": _("Name the witness of the refusal.")})
    if len(witness) > 50:
        raise ValidationError({"witness": _("At most 50 characters.")})
    with transaction.atomic():
        paper = _locked_awaiting(actor, paper)
        paper.status, paper.refused, paper.witness = PaperStatus.ISSUED, True, witness
        paper.signed_at, paper.delivered_by = timezone.now(), actor
        paper.version += 1
        paper.save()
    return paper


def void(actor, paper: Paper, reason: str) -> Paper:
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise ValidationError({"reason": _("Say why the paper is voided.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("At most 300 characters.")})
    _check_actor(actor, paper.inspection)
    with transaction.atomic():
        paper = Paper.objects.select_for_update().get(pk=paper.pk)
        if paper.status == PaperStatus.VOID:
            raise ValidationError({"status": _("This paper is void already.")})
        paper.status, paper.voided_at, paper.voided_by, paper.void_reason = (
            PaperStatus.VOID, timezone.now(), actor, reason)
        paper.version += 1
        paper.save()
    return paper


def correct(actor, paper: Paper, reason: str, note: str | None = None) -> Paper:
    """Void the paper and make its replacement from the same inspection, under a new number."""
    with transaction.atomic():
        voided = void(actor, paper, reason)
        return make_paper(actor, voided.inspection, voided.kind,
                          note=voided.note if note is None else note, replaces=voided)
