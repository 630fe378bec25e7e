"""Care visits to special groups; each need becomes a resident-need work order."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.models import User
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned
from wangge.workorders import services as orders
from wangge.workorders.choices import Kind
from wangge.workorders.models import WorkOrder

from ..choices import Condition, NeedKind, ResidentStatus
from ..models import CareVisit, Resident

# Needs that are health facts: shown and copied only under the health rule (core.privacy.reads_health_text).
HEALTH_NEEDS = frozenset({NeedKind.MEDICAL})


def aged_born_before(today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year - Resident.AGED_FROM)
    except ValueError:  # 29 February
        return today.replace(year=today.year - Resident.AGED_FROM, day=28)


def special_groups(queryset, today: datetime.date | None = None, *, viewer: User | None = None):
    """Living residents in special groups: the aged living alone, and anyone with a care flag
    (the same rule as Resident.is_special). Listed for a `viewer` who may not see health flags, only
    those in a group for a reason they see (aged and alone, low income): a person listed for a health
    flag alone would show the flag (someone under 60, living with family, not on low income)."""
    today = today or timezone.localdate()
    flagged = Q(low_income=True)
    if viewer is None or viewer.can(Perm.REVEAL_PERSONAL):
        flagged |= Q(disabled=True) | Q(bedridden=True) | Q(chronic_illness=True) | Q(pregnant=True)
    return queryset.filter(status=ResidentStatus.LIVING, merged_into__isnull=True).filter(
        Q(lives_alone=True, birth_date__lte=aged_born_before(today)) | flagged)


def not_visited(queryset, days: int, today: datetime.date | None = None, *, viewer: User | None = None):
    """Special-group residents whose last care visit is more than `days` days ago, or who were never visited;
    the longest-waiting first. `viewer`: as special_groups."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days)
    return (special_groups(queryset, today, viewer=viewer).annotate(last_visit=Max("care_visits__visited_on"))
            .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=since))
            .order_by("last_visit", "grid_id", "name"))


def need_orders(visit: CareVisit):
    from django.contrib.contenttypes.models import ContentType

    return WorkOrder.objects.filter(kind=Kind.RESIDENT_NEED, source_type=ContentType.objects.get_for_model(visit),
                                    source_id=visit.pk)


def _existing(actor: User, client_id: uuid.UUID | None) -> CareVisit | None:
    if client_id is None:
        return None
    visit = CareVisit.objects.filter(client_id=client_id).first()
    if visit is not None and visit.recorded_by_id != actor.pk:
        raise ValidationError({"client_id": _("This client id is already used.")})
    return visit


def record_care_visit(actor: User, resident: Resident, *, visited_on: datetime.date, visitors: str, condition: str,
                      notes: str = "", needs: dict[str, str] | None = None, client_id: uuid.UUID | None = None,
                      today: datetime.date | None = None) -> tuple[CareVisit, bool]:
    """Record a visit; each need (daily life, medical care, supplies) written on it raises one work order of
    kind resident need for the resident's grid. A repeated client id returns the visit already made."""
    require(actor, Perm.EDIT_RESIDENTS)
    existing = _existing(actor, client_id)
    if existing is not None:
        return existing, False
    today = today or timezone.localdate()
    needs = {k: (v or "").strip() for k, v in (needs or {}).items()}
    errors = {}
    if not Resident.objects.visible_to(actor).filter(pk=resident.pk, merged_into__isnull=True).exists():
        errors["resident"] = _("Not found, or outside your area.")
    if visited_on is None:
        errors["visited_on"] = _("Give the date of the visit.")
    elif visited_on > today:
        errors["visited_on"] = _("The date of a visit cannot be in the future.")
    if condition not in Condition.values:
        errors["condition"] = _("Choose the condition.")
    if not (visitors or "").strip():
        errors["visitors"] = _("Who visited?")
    unknown = set(needs) - set(NeedKind.values)
    if unknown:
        errors["needs"] = _("Unknown kind of need.")
    if errors:
        raise ValidationError(errors)
    fields = {CareVisit.NEED_FIELDS[k]: v for k, v in needs.items()}
    try:
        with transaction.atomic():
            visit = save_versioned(CareVisit(resident=resident, visited_on=visited_on, visitors=visitors.strip()[:200],
                                             condition=condition, notes=(notes or "").strip(), recorded_by=actor,
                                             client_id=client_id, **fields), None)
            for kind in NeedKind.values:
                if needs.get(kind):
                    _raise_need(actor, resident, visit, kind, needs[kind])
    except IntegrityError:
        again = _existing(actor, client_id)
        if again is None:
            raise
        return again, False
    return visit, True


def _raise_need(actor: User, resident: Resident, visit: CareVisit, kind: str, text: str) -> WorkOrder:
    label = NeedKind(kind).label
    # A medical need is a health fact: the order keeps it encrypted and masked like the visit does.
    text_field = "health_note" if kind in HEALTH_NEEDS else "description"
    return orders.raise_order(
        actor, kind=Kind.RESIDENT_NEED, title=f"{resident.name}：{label}"[:200], grid=resident.grid,
        category=kind, subject=resident, source_object=visit,
        source=_("Care visit on %(date)s") % {"date": visit.visited_on.isoformat()},
        requester_name=resident.name, today=visit.visited_on, **{text_field: text})
