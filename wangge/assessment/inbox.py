"""待我处理: period reports and reviews submitted by someone else, awaiting this town leader's approval."""

from django.urls import reverse
from django.utils.translation import gettext as _

from wangge.core.roles import Perm
from wangge.dashboard.inbox import SHOWN, Item, Section

from .choices import DocStatus
from .models import PeriodReport, Review


def awaiting_approval(user) -> Section | None:
    if not user.can(Perm.APPROVE_REPORTS):
        return None
    waiting = [(model, model.objects.visible_to(user).filter(status=DocStatus.SUBMITTED)
                .exclude(prepared_by=user).select_related("prepared_by").order_by("submitted_at", "pk"))
               for model in (PeriodReport, Review)]
    counts = [rows.count() for _model, rows in waiting]
    section = Section("approvals", _("Awaiting my approval"), reverse("assessment:report_list"),
                      [("all", _("reports and reviews"), sum(counts))])
    for model, rows in waiting:
        name = "assessment:report_detail" if model is PeriodReport else "assessment:review_detail"
        for doc in rows[:SHOWN]:
            section.items.append(Item(str(doc), reverse(name, args=[doc.pk]),
                                      f"{doc.prepared_by.full_name or doc.prepared_by.username} · "
                                      f"{doc.get_status_display()}"))
    return section
