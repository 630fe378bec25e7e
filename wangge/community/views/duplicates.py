"""Likely duplicates: the list of open pairs, merge (keep one), not the same person, look again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.visibility import get_visible_or_404

from ..choices import SuggestionStatus
from ..models import Compound, DuplicateSuggestion, Resident
from ..services import duplicates as services


def open_pairs(user):
    """Open pairs where the user sees both records."""
    visible = Resident.objects.visible_to(user).values("pk")
    return DuplicateSuggestion.objects.visible_to(user).filter(
        status=SuggestionStatus.OPEN, second__in=visible).select_related(
        "first__compound", "second__compound", "first__grid", "second__grid")


@permission_required(Perm.VIEW_RESIDENTS)
def duplicate_list(request):
    return render(request, "community/duplicate_list.html", {
        "pairs": [(p, (p.first, p.second)) for p in open_pairs(request.user)[:200]], "section": "duplicates",
        "can_edit": request.user.can(Perm.EDIT_RESIDENTS)})


@require_POST
@permission_required(Perm.EDIT_RESIDENTS)
def duplicate_scan(request):
    found = services.suggest_duplicates(Compound.objects.visible_to(request.user).values_list("pk", flat=True))
    messages.success(request, _("%(count)s new likely duplicates.") % {"count": found})
    return redirect("community:duplicate_list")


@require_POST
@permission_required(Perm.EDIT_RESIDENTS)
def duplicate_decide(request, pk):
    suggestion = get_visible_or_404(DuplicateSuggestion, request.user, pk=pk)
    try:
        if request.POST.get("keep"):
            keep = get_visible_or_404(Resident, request.user, pk=request.POST["keep"])
            services.merge(request.user, suggestion, keep)
            messages.success(request, _("Merged into %(name)s; both histories are kept.") % {"name": keep.name})
            return redirect("community:resident_detail", pk=keep.pk)
        services.dismiss(request.user, suggestion)
        messages.success(request, _("Marked as two different people."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("community:duplicate_list")
