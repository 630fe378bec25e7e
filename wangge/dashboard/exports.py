"""What the dashboard adds to the ledgers page's "other exports": each campaign's inspection ledger
(for those who may export and see inspections) and the briefs the user may read."""

from django.urls import reverse
from django.utils.translation import gettext as _

from wangge.core.exports import ExtraExport
from wangge.core.roles import Perm
from wangge.inspections.models import Campaign

from .models import Brief

LATEST = 20


def campaign_ledgers(user) -> list[ExtraExport]:
    if not (user.can(Perm.EXPORT) and user.can(Perm.VIEW_INSPECTIONS)):
        return []
    group = _("Inspection ledgers (one per campaign)")
    return [ExtraExport(group, c.name, reverse("inspections:campaign_ledger", args=[c.pk]), "Excel")
            for c in Campaign.objects.visible_to(user).only("pk", "name")[:LATEST]]


def kept_briefs(user) -> list[ExtraExport]:
    group = _("Daily briefs and reviews")
    rows = []
    for b in Brief.objects.visible_to(user).select_related("area")[:LATEST]:
        label = f"{b.get_kind_display()} {b.starts_on:%Y-%m-%d}" + (
            f" – {b.ends_on:%Y-%m-%d}" if b.ends_on != b.starts_on else "") + (f" · {b.area.name}" if b.area else "")
        rows += [ExtraExport(group, label, reverse("dashboard:brief_download", args=[b.pk, fmt]), name)
                 for fmt, name in (("docx", "Word"), ("pdf", "PDF"))]
    return rows
