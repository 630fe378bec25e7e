"""Who may move a premises' operating status, and on what authority: the one rule book that
`services.apply_status` applies to every path (the premises page, the API, an inspection's
consequences). An inspection authorises what it decided; a person needs the same grounds by hand.

- shut (关停): an inspection that decided a shutdown with a legal reason and an enforcement-unit
  inspector present, or by hand an enforcement-unit member (`Department.is_enforcement`) giving the
  legal basis;
- suspended (停业整改): an inspection that ordered a rectification with suspension, or by hand an
  enforcement-unit member giving the legal basis;
- reopening a shut or suspended premises: never while a rectification order about it is open; then
  a passed re-inspection since the shutdown or suspension (the inspection itself, or on record when
  done by hand), or — a shutdown only — a named decision document lifting it, by a town-level role
  (administrator or town leader);
- closed for business (歇业) and back: a registry fact, for those who edit premises.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from wangge.core.models import User
from wangge.core.roles import Perm, Role

from .choices import PremisesStatus as S

TOWN_ROLES = {Role.ADMIN, Role.TOWN_LEADER}
# The inspections app sits above places; its codes are read here through the reverse relation
# `premises.inspections` rather than an import (inspections/choices.py: InspectionKind, Outcome).
PASSED_OUTCOMES = ("compliant", "fixed")


def is_enforcement_member(user: User) -> bool:
    return user.departments.filter(is_enforcement=True, is_active=True).exists()


def may_change_by_hand(user: User) -> bool:
    """Whether the status form is worth showing: someone some rule above may let through."""
    return bool(user.can(Perm.EDIT_PREMISES) or user.can(Perm.INSPECT) or user.roles & TOWN_ROLES
                or is_enforcement_member(user))


def open_rectification_orders(premises):
    from wangge.workorders.choices import Kind, State
    from wangge.workorders.models import WorkOrder

    return WorkOrder.objects.filter(kind=Kind.RECTIFICATION, subject_type=ContentType.objects.get_for_model(premises),
                                    subject_id=premises.pk).exclude(state=State.CLOSED)


def passed_reinspection(premises, inspection=None):
    """The passed re-inspection that lifts the current shutdown or suspension: `inspection` when it
    passed, else the latest passed inspection on record since the status was set (any inspection
    after a suspension is its re-inspection)."""
    if inspection is not None:
        ok = inspection.premises_id == premises.pk and inspection.outcome in PASSED_OUTCOMES
        return inspection if ok else None
    found = premises.inspections.filter(outcome__in=PASSED_OUTCOMES).exclude(flag_review="voided")
    if premises.status_changed_at is not None:
        found = found.filter(inspected_at__gte=premises.status_changed_at)
    return found.order_by("-inspected_at").first()


def _enforcement_inspection(inspection) -> bool:
    return inspection.inspectors.filter(departments__is_enforcement=True, departments__is_active=True).exists()


def check(actor: User | None, premises, status: str, *, basis: str, decision: str, inspection) -> str:
    """Refuse (ValidationError with a Chinese message on the field concerned, or PermissionDenied)
    unless this move is authorised; returns the basis to record with it."""
    if status not in S.values:
        raise ValidationError({"status": _("Unknown status.")})
    current = premises.status
    if inspection is not None and inspection.premises_id != premises.pk:
        raise ValidationError({"status": _("This inspection is about another premises.")})
    if status in (S.SHUT, S.SUSPENDED):
        return _check_enforcement(actor, status, basis, inspection)
    if status == S.OPEN and current in (S.SHUT, S.SUSPENDED):
        return _check_reopen(actor, premises, current, decision, inspection)
    # Closed for business, or open again after it: the registry, by those who edit it.
    if inspection is None and not (actor and actor.can(Perm.EDIT_PREMISES)):
        raise PermissionDenied
    if not basis.strip():
        raise ValidationError({"reason": _("Give the reason for the change.")})
    return basis.strip()


def _check_enforcement(actor, status, basis, inspection) -> str:
    if inspection is not None:
        decided = (inspection.outcome == "shutdown" and inspection.legal_reason.strip() if status == S.SHUT
                   else inspection.suspended)
        if not decided:
            raise ValidationError({"status": _("This inspection did not decide that.")})
        if not _enforcement_inspection(inspection):
            raise ValidationError({"inspectors": _("A rectification order or a shutdown needs an inspector from an "
                                                   "enforcement unit (market supervision, law-enforcement team or "
                                                   "police).")})
        return (inspection.legal_reason if status == S.SHUT else inspection.rectification_items).strip()
    if actor is None or not is_enforcement_member(actor):
        raise ValidationError({"status": _("Only a member of an enforcement unit (market supervision, law-enforcement "
                                           "team or police) may shut or suspend a premises.")})
    if len(basis.strip()) < 4:
        raise ValidationError({"reason": _("Give the legal basis (the regulation and its article).")})
    return basis.strip()


def _check_reopen(actor, premises, current, decision, inspection) -> str:
    orders = list(open_rectification_orders(premises).values_list("pk", flat=True)[:3])
    if orders:
        raise ValidationError({"status": _("Its rectification order #%(ids)s is still open: the premises reopens once "
                                           "a re-inspection passes it.") % {"ids": "、#".join(map(str, orders))}})
    passed = passed_reinspection(premises, inspection)
    if passed is not None and inspection is None and not (
            actor and (actor.can(Perm.EDIT_PREMISES) or actor.can(Perm.INSPECT) or actor.roles & TOWN_ROLES)):
        raise PermissionDenied
    if passed is not None:
        return _("Re-inspection passed on %(date)s.") % {"date": passed.inspected_at.date()}
    if inspection is not None:
        raise ValidationError({"status": _("Only a passed re-inspection reopens the premises.")})
    if current == S.SHUT and decision.strip():
        if actor is None or not (actor.roles & TOWN_ROLES):
            raise ValidationError({"decision": _("Only the town (an administrator or a town leader) may lift a "
                                                 "shutdown by decision.")})
        return _("Shutdown lifted by decision %(document)s.") % {"document": decision.strip()}
    if current == S.SHUT:
        raise ValidationError({"status": _("A shut premises reopens only after a passed re-inspection, or by the "
                                           "town's decision lifting the shutdown (name the decision document).")})
    raise ValidationError({"status": _("A suspended premises reopens only after a passed re-inspection.")})
