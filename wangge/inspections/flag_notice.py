"""A flagged inspection waits for a reviewer (services.review_flags): tell the people who may review
it, so it does not sit unseen on the 待核查 list. Who: the officers of the premises' regulating unit
who see it; failing those, the town leaders whose areas hold it. Never someone who took part — they
may not review it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from wangge.core.models import User
from wangge.core.roles import Perm, Role
from wangge.places.regulators import regulator_of
from wangge.workorders.notify import notify

from .models import Inspection


def reviewers(inspection: Inspection) -> list[User]:
    took_part = {inspection.submitted_by_id, *inspection.inspectors.values_list("pk", flat=True)}
    regulator = regulator_of(inspection.premises) if inspection.premises_id else None
    department_id = regulator.pk if regulator else None
    officers = (User.objects.filter(role_assignments__role=Role.DEPARTMENT_OFFICER, departments=department_id)
                if department_id else User.objects.none())
    leaders = User.objects.filter(role_assignments__role=Role.TOWN_LEADER)
    for candidates in (officers, leaders):
        found = [u for u in candidates.filter(is_active=True).exclude(pk__in=took_part).distinct().order_by("pk")
                 if u.can(Perm.REVIEW_INSPECTIONS)
                 and Inspection.objects.visible_to(u).filter(pk=inspection.pk).exists()]
        if found:
            return found
    return []


def tell_reviewers(inspection: Inspection) -> list[User]:
    """Once per inspection (the notice key), whatever path recorded it."""
    if not inspection.flags:
        return []
    message = _("Inspection of %(subject)s is flagged for review: %(why)s.") % {
        "subject": inspection.subject_label, "why": "；".join(e.rstrip("。.") for e in inspection.flags_explained)}
    return notify(reviewers(inspection), message[:300], key=f"flagged:{inspection.pk}",
                  link=reverse("inspections:inspection_detail", args=[inspection.pk]))
