"""Personal data in work orders: a resident's need (often medical) raised from a care visit
(docs/PRIVACY.md). The order stays, with its kind, category, grid, department, dates and timeline, so
the figures do not move; who it was about and what they needed go."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.core.privacy import PersonalDataKind, PersonSection, plain, register_kind, register_section, row_of

from .choices import Kind, State
from .models import Notification, WorkOrder


def expired_needs(cutoff):
    return WorkOrder.objects.filter(kind=Kind.RESIDENT_NEED, state=State.CLOSED, closed_at__lt=cutoff).filter(
        ~Q(description="") | ~Q(health_note="") | ~Q(requester_name="") | Q(subject_id__isnull=False)
        | Q(source_id__isnull=False))


def anonymise_needs(queryset) -> int:
    from wangge.community.privacy import anonymised_label

    rows = plain(queryset)
    # Overdue alerts quote the title (the resident's name and the need).
    Notification.objects.filter(order__in=rows.values("pk")).update(message=anonymised_label())
    return rows.update(title=anonymised_label(), description="", health_note="", requester_name="", subject_type=None,
                       subject_id=None, subject_label="", source_type=None, source_id=None)


register_kind(PersonalDataKind(
    code="resident_need_orders", label=_l("Residents' needs handled as work orders"),
    purpose=_l("Get a resident's need met by the right department, on time"),
    legal_basis=_l("Duties of the town government (PIPL Art. 13 (3)); medical needs are sensitive (Art. 28)"),
    expired=expired_needs, anonymise=anonymise_needs))


def order_rows(resident, actor):
    from wangge.community.models import Resident

    orders = WorkOrder.objects.filter(subject_type=ContentType.objects.get_for_model(Resident),
                                      subject_id=resident.pk).select_related("department", "assignee").prefetch_related(
                                          "events").order_by("id")
    rows = []
    for order in orders:
        comments = "; ".join(f"{e.at:%Y-%m-%d} {e.actor_name}: {e.comment}" for e in order.events.all() if e.comment)
        fields = ("kind", "title", "description", "health_note", "category", "state", "department", "assignee",
                  "deadline", "closed_at")
        rows.append({_("work order"): order.pk, **row_of(order, fields),
                     _("comments"): comments})
    return rows


register_section(PersonSection("work_orders", _l("Work orders about the resident"), order_rows, order=50))
