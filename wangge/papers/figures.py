"""Papers in the campaign summary: how many of each kind its inspections gave (void ones left out)."""

from django.db.models import Count

from .choices import PaperKind, PaperStatus
from .models import Paper


def papers_by_kind(campaign, user, inspections, until=None) -> dict[str, int]:
    rows = Paper.objects.visible_to(user).filter(inspection__in=inspections).exclude(status=PaperStatus.VOID)
    if until is not None:
        rows = rows.filter(created_at__lt=until)
    counts = dict(rows.values_list("kind").annotate(n=Count("pk")).order_by())
    return {kind: counts.get(kind, 0) for kind in PaperKind.values}
