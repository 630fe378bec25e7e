"""Pages of the plausibility review: the flagged inspections a user may see, and the reviewer's verb
(confirm or void, with a reason) through services.review_flags."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.visibility import get_visible_or_404

from . import services
from .choices import FlagReview
from .models import Campaign, Inspection


@permission_required(Perm.VIEW_INSPECTIONS)
def flag_list(request):
    """Flagged inspections in the user's scope; to check first (the default), or as reviewed."""
    params = request.GET
    review = params.get("review", FlagReview.PENDING)
    rows = (Inspection.objects.visible_to(request.user).flagged()
            .select_related("grid", "campaign", "submitted_by", "reviewed_by").order_by("-inspected_at", "-id"))
    if review in FlagReview.values:
        rows = rows.filter(flag_review=review)
    if params.get("campaign", "").isdecimal():
        rows = rows.filter(campaign_id=params["campaign"])
    page = Paginator(rows, 50).get_page(params.get("page"))
    for row in page:
        row.blockers = services.void_blockers(row)
    query = params.copy()
    query.pop("page", None)
    return render(request, "inspections/flag_list.html", {
        "page": page, "params": params, "review": review, "reviews": FlagReview.choices,
        "query_string": query.urlencode(), "campaigns": Campaign.objects.visible_to(request.user),
        "can_review": request.user.can(Perm.REVIEW_INSPECTIONS)})


@require_POST
@permission_required(Perm.REVIEW_INSPECTIONS)
def flag_review(request, pk):
    inspection = get_visible_or_404(Inspection, request.user, pk=pk)
    decision = request.POST.get("decision", "")
    try:
        services.review_flags(request.user, inspection, decision=decision, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Confirmed: it stays counted.") if decision == FlagReview.CONFIRMED
                         else _("Voided: it is no longer counted."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("inspections:inspection_detail", pk)
