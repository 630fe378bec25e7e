"""Checklists: reading an inspector's answers against the items, and revising a checklist."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wangge.core.models import User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned
from wangge.places.models import PremisesCategory

from .choices import ItemKind, Severity
from .models import Checklist, ChecklistItem

YES = {"yes", "y", "true", "1", "是", "有", "√"}
NO = {"no", "n", "false", "0", "否", "无", "×"}


@dataclass
class Read:
    """One item's answer as read from the form: the stored text, the number, and whether it violates."""

    item: ChecklistItem
    value: str
    number: Decimal | None
    is_violation: bool


def _yes_no(raw: str) -> str | None:
    text = raw.strip().lower()
    return "yes" if text in YES else "no" if text in NO else None


def _text(raw) -> str:
    """An answer as text: a JSON number (0 included) or true/false from a phone reads like the typed text."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "yes" if raw else "no"
    return str(raw).strip()


def read_answers(items: list[ChecklistItem], raw: dict[str, str],
                 photo_items: set[str]) -> tuple[list[Read], dict[str, str]]:
    """Check every applicable item's answer; return the readings and the errors keyed `answers.<code>`."""
    readings: dict[str, Read] = {}
    errors: dict[str, str] = {}
    for item in items:
        key = f"answers.{item.code}"
        value = _text(raw.get(item.code))
        number = None
        if item.kind == ItemKind.PHOTO:
            value = "photo" if item.code in photo_items else ""
        if not value:
            if item.required:
                errors[key] = _("Answer “%(item)s”.") % {"item": item.text}
            continue
        if item.kind == ItemKind.YES_NO:
            value = _yes_no(value)
            if value is None:
                errors[key] = _("Answer yes or no.")
                continue
        elif item.kind == ItemKind.NUMBER:
            try:
                number = Decimal(value)
            except InvalidOperation:
                errors[key] = _("Enter a number.")
                continue
            if not number.is_finite() or number < 0 or number >= 10**10:
                errors[key] = _("Enter a number of zero or more.")
                continue
            value = format(number.normalize(), "f")
        elif item.kind == ItemKind.CHOICE and value not in item.choices:
            errors[key] = _("Choose one of: %(choices)s.") % {"choices": "、".join(item.choices)}
            continue
        elif len(value) > 500:
            errors[key] = _("At most 500 characters.")
            continue
        readings[item.code] = Read(item, value, number, _violates(item, value, number))
    # Comparisons between items (staff tested today < staff on duty) once every number is read.
    for reading in readings.values():
        other = readings.get(reading.item.at_least_item)
        if reading.number is not None and other is not None and other.number is not None:
            if reading.number > other.number:
                errors[f"answers.{reading.item.code}"] = _("Cannot exceed “%(item)s”.") % {"item": other.item.text}
            elif reading.number < other.number:
                reading.is_violation = True
    for reading in readings.values():
        if reading.is_violation and reading.item.photo_required_when_violated and reading.item.code not in photo_items:
            errors[f"photos.{reading.item.code}"] = _("“%(item)s” is violated: take a photo of it.") % {
                "item": reading.item.text}
    return list(readings.values()), errors


def _violates(item: ChecklistItem, value: str, number: Decimal | None) -> bool:
    if value in item.violation_values:
        return True
    if number is not None:
        if item.violation_min is not None and number < item.violation_min:
            return True
        if item.violation_max is not None and number > item.violation_max:
            return True
    return False


# --- revising -------------------------------------------------------------------------------

ITEM_FIELDS = ("code", "text", "kind", "choices", "violation_values", "violation_min", "violation_max",
               "at_least_item", "severity", "required", "photo_required_when_violated", "department")


def _check_items(specs: list[dict]) -> None:
    errors: dict[str, str] = {}
    codes = [s.get("code", "") for s in specs]
    if not specs:
        errors["items"] = _("A checklist needs at least one item.")
    for n, spec in enumerate(specs, start=1):
        key = f"items.{n}"
        if not spec.get("code") or not spec.get("text"):
            errors[key] = _("Item %(n)s needs a code and a text.") % {"n": n}
        elif codes.count(spec["code"]) > 1:
            errors[key] = _("The code “%(code)s” is used twice.") % {"code": spec["code"]}
        elif spec.get("kind") not in ItemKind.values:
            errors[key] = _("Item %(n)s has an unknown kind.") % {"n": n}
        elif spec.get("severity", Severity.MAJOR) not in Severity.values:
            errors[key] = _("Item %(n)s has an unknown severity.") % {"n": n}
        elif spec["kind"] == ItemKind.CHOICE and len(spec.get("choices") or []) < 2:
            errors[key] = _("A choice item needs at least two choices.")
        elif spec["kind"] == ItemKind.CHOICE and not set(spec.get("violation_values") or []) <= set(spec["choices"]):
            errors[key] = _("Violating answers must be among the choices.")
        elif spec["kind"] == ItemKind.YES_NO and not set(spec.get("violation_values") or []) <= {"yes", "no"}:
            errors[key] = _("A yes/no item is violated by “yes” or “no”.")
        elif spec.get("at_least_item") and spec["at_least_item"] not in codes:
            errors[key] = _("Item %(n)s compares with an item that is not in the checklist.") % {"n": n}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def revise_checklist(actor: User, checklist: Checklist, *, name: str, description: str, items: list[dict],
                     expected_version: int | None = None, department=None) -> Checklist:
    """Change a checklist. If any inspection used this revision, the change becomes a new revision
    (the old one stays, unchanged, for those inspections); otherwise it is edited in place."""
    require(actor, Perm.MANAGE_CAMPAIGNS)
    _check_items(items)
    locked = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if expected_version is not None and locked.version != expected_version:
        from wangge.core.services import StaleVersionError

        raise StaleVersionError
    if not locked.is_current:
        raise ValidationError(_("Only the current revision of a checklist can be changed."))
    if locked.inspections.exists():
        Checklist.objects.filter(pk=locked.pk).update(is_current=False)
        target = Checklist(code=locked.code, revision=locked.revision + 1, name=name, description=description,
                           department=department)
        save_versioned(target, None)
    else:
        target = locked
        target.name, target.description, target.department = name, description, department
        save_versioned(target, target.version)
        target.items.all().delete()
    _create_items(target, items)
    return target


def create_checklist(actor: User, *, code: str, name: str, description: str, items: list[dict],
                     department=None) -> Checklist:
    require(actor, Perm.MANAGE_CAMPAIGNS)
    _check_items(items)
    if Checklist.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A checklist with this code exists.")})
    with transaction.atomic():
        checklist = save_versioned(Checklist(code=code, name=name, description=description,
                                             department=department), None)
        _create_items(checklist, items)
    return checklist


def _create_items(checklist: Checklist, specs: list[dict]) -> None:
    categories = {c.code: c for c in PremisesCategory.objects.all()}
    for order, spec in enumerate(specs, start=1):
        item = ChecklistItem(checklist=checklist, order=order,
                             **{f: spec[f] for f in ITEM_FIELDS if spec.get(f) is not None})
        item.full_clean(exclude=["checklist"])
        item.save()
        wanted = [categories[c] for c in spec.get("categories", []) if c in categories]
        if wanted:
            item.categories.set(wanted)
