"""Staff pages of public reports: the list of reports in the user's scope, one report with its photo and
the reports of the same problem, the reporter's phone masked (revealed only with a logged reason)."""

import mimetypes

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from wangge.core.permissions import permission_required
from wangge.core.reveal import reveal_fragment
from wangge.core.roles import Perm
from wangge.core.trail import trail_of
from wangge.core.visibility import get_visible_or_404

from .choices import ReportCategory, ReportChannel
from .models import PublicReport


def _reports(request):
    return PublicReport.objects.visible_to(request.user)


def filter_reports(rows, params):
    """The list page's filters, shared with its API."""
    query = (params.get("q") or "").strip()
    if query:
        rows = rows.filter(Q(tracking_number__iexact=query) | Q(hotline_case=query) | Q(address__icontains=query)
                           | Q(description__icontains=query))
    if params.get("category") in ReportCategory.values:
        rows = rows.filter(category=params["category"])
    if params.get("channel") in ReportChannel.values:
        rows = rows.filter(channel=params["channel"])
    return rows


@permission_required(Perm.VIEW_WORKORDERS)
def report_list(request):
    rows = filter_reports(_reports(request), request.GET).select_related("grid", "order").defer("phone")
    return render(request, "reports/report_list.html", {
        "page": Paginator(rows, 50).get_page(request.GET.get("page")), "q": request.GET.get("q", ""),
        "categories": ReportCategory.choices, "channels": ReportChannel.choices,
        "category": request.GET.get("category", ""), "channel": request.GET.get("channel", ""),
        "query_string": request.GET.urlencode()})


@permission_required(Perm.VIEW_WORKORDERS)
def report_detail(request, pk):
    report = get_visible_or_404(_reports(request).select_related("grid", "segment", "order__department",
                                                                 "duplicate_of"), request.user, pk=pk)
    first = report.duplicate_of or report
    return render(request, "reports/report_detail.html", {
        "object": report, "same": PublicReport.objects.visible_to(request.user).filter(
            Q(pk=first.pk) | Q(duplicate_of=first)).exclude(pk=report.pk).defer("phone").order_by("received_at"),
        "can_reveal": request.user.can(Perm.REVEAL_PERSONAL),
        "trail": trail_of(report) if request.user.can(Perm.VIEW_AUDIT) else None})


@permission_required(Perm.VIEW_WORKORDERS)
def report_photo(request, pk):
    report = get_visible_or_404(_reports(request), request.user, pk=pk)
    if not report.photo:
        raise Http404
    content_type = mimetypes.guess_type(report.photo.name)[0] or "application/octet-stream"
    response = FileResponse(report.photo.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@permission_required(Perm.REVEAL_PERSONAL)
def report_reveal(request, pk):
    if not request.user.can(Perm.VIEW_WORKORDERS):
        raise PermissionDenied
    return reveal_fragment(request, get_visible_or_404(_reports(request), request.user, pk=pk))
