"""Pages of the period reports and the reviews: list, prepare, one report (its versions and differences),
submit / approve / return / correct, and the files (.xlsx; .docx and PDF). Rows through `visible_to`,
every change through services.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.tabular.writing import CONTENT_TYPES
from wangge.core.trail import trail_of
from wangge.core.visibility import get_visible_or_404

from . import content, services
from .choices import DocStatus
from .documents import review_file
from .forms import DefinitionForm, PrepareForm, ReviewCreateForm, ReviewEditForm
from .models import PeriodReport, ReportDefinition, Review
from .sheet import report_workbook

FILES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf"}


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdecimal() else None


@permission_required(Perm.PREPARE_REPORTS)
def report_list(request):
    reports = PeriodReport.objects.visible_to(request.user).select_related("definition", "prepared_by")
    return render(request, "assessment/report_list.html", {
        "reports": reports[:200], "definitions": ReportDefinition.objects.visible_to(request.user),
        "can_manage": request.user.can(Perm.MANAGE_ASSESSMENT)})


@permission_required(Perm.PREPARE_REPORTS)
def report_create(request):
    form = PrepareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.prepare_report(request.user, form.cleaned_data["definition"],
                                             form.cleaned_data["starts_on"])
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("assessment:report_detail", pk=report.pk)
    return render(request, "assessment/form.html", {
        "form": form, "heading": _("Prepare a report"), "button": _("Prepare"),
        "intro": _("The figures are those as of the end of the period; they are frozen when you submit the report.")})


@permission_required(Perm.MANAGE_ASSESSMENT)
def definition_edit(request, pk=None):
    definition = get_visible_or_404(ReportDefinition, request.user, pk=pk) if pk else None
    form = DefinitionForm(request.POST or None, catalogue=content.catalogue(),
                          initial=DefinitionForm.initial_for(definition) if definition else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_definition(request.user, definition, name=data["name"], period=data["period"],
                                     figures=data["figures"], indicators=data["indicators"], areas=data["areas"],
                                     version=data["version"])
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The report definition is saved."))
            return redirect("assessment:report_list")
    return render(request, "assessment/form.html", {"form": form, "heading": _("Report definition"),
                                                    "button": _("Save")})


def _versions(report: PeriodReport) -> list[PeriodReport]:
    return list(PeriodReport.objects.filter(definition=report.definition, starts_on=report.starts_on,
                                            ends_on=report.ends_on).select_related("prepared_by", "approved_by")
                .order_by("number"))


def _actions(user, doc) -> dict:
    return {"can_submit": doc.status in (DocStatus.DRAFT, DocStatus.RETURNED) and doc.prepared_by_id == user.pk,
            "can_approve": doc.status == DocStatus.SUBMITTED and user.can(Perm.APPROVE_REPORTS)
            and doc.prepared_by_id != user.pk}


@permission_required(Perm.PREPARE_REPORTS)
def report_detail(request, pk):
    report = get_visible_or_404(PeriodReport.objects.select_related("definition", "prepared_by", "approved_by",
                                                                    "area"), request.user, pk=pk)
    return render(request, "assessment/report_detail.html", {
        "report": report, "versions": _versions(report), "trail": trail_of(report),
        "can_correct": report.status == DocStatus.APPROVED and not hasattr(report, "correction"),
        **_actions(request.user, report)})


def _act(request, doc, verb: str):
    try:
        if verb == "submit":
            services.submit(request.user, doc, _version(request))
            messages.success(request, _("Submitted: the figures are frozen and the town leaders are told."))
        elif verb == "approve":
            services.approve(request.user, doc, _version(request))
            messages.success(request, _("Approved and locked."))
        elif verb == "return":
            services.return_doc(request.user, doc, request.POST.get("note", ""), _version(request))
            messages.success(request, _("Returned to the preparer."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _errors(exc))


@require_POST
@permission_required(Perm.PREPARE_REPORTS)
def report_action(request, pk, verb):
    report = get_visible_or_404(PeriodReport, request.user, pk=pk)
    if verb == "correct":
        try:
            report = services.correct_report(request.user, report, request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    else:
        _act(request, report, verb)
    return redirect("assessment:report_detail", pk=report.pk)


@permission_required(Perm.PREPARE_REPORTS)
def report_export(request, pk):
    report = get_visible_or_404(PeriodReport.objects.select_related("definition", "area", "prepared_by",
                                                                    "approved_by", "previous"), request.user, pk=pk)
    response = HttpResponse(report_workbook(report), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = (f'attachment; filename="report-{report.starts_on:%Y%m%d}-'
                                       f'v{report.number}.xlsx"')
    return response


# Reviews ---------------------------------------------------------------------------------------------

@permission_required(Perm.PREPARE_REPORTS)
def review_list(request):
    return render(request, "assessment/review_list.html", {
        "reviews": Review.objects.visible_to(request.user).select_related("prepared_by")[:200]})


@permission_required(Perm.PREPARE_REPORTS)
def review_create(request):
    form = ReviewCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = services.draft_review(request.user, title=data["title"], starts_on=data["starts_on"],
                                           ends_on=data["ends_on"], campaign=data["campaign"])
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            return redirect("assessment:review_detail", pk=review.pk)
    return render(request, "assessment/form.html", {
        "form": form, "heading": _("Draft a review"), "button": _("Draft"),
        "intro": _("The draft carries the figures as of the end of the period, the comparison and the notable "
                   "items; write the text, then submit it for approval.")})


@permission_required(Perm.PREPARE_REPORTS)
def review_detail(request, pk):
    review = get_visible_or_404(Review.objects.select_related("prepared_by", "approved_by", "area", "campaign"),
                                request.user, pk=pk)
    editable = review.status in (DocStatus.DRAFT, DocStatus.RETURNED) and review.prepared_by_id == request.user.pk
    form = ReviewEditForm(request.POST or None, initial={"title": review.title, "text": review.text,
                                                         "version": review.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_review(request.user, review, title=form.cleaned_data["title"],
                                 text=form.cleaned_data["text"], version=form.cleaned_data["version"])
        except ValidationError as exc:
            if not editable:  # no form on the page: say it above
                messages.error(request, _errors(exc))
                return redirect("assessment:review_detail", pk=review.pk)
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The review is saved."))
            return redirect("assessment:review_detail", pk=review.pk)
    return render(request, "assessment/review_detail.html", {
        "review": review, "form": form, "editable": editable, "sections": content.stored_sections(review.frozen),
        "frozen": review.frozen, "trail": trail_of(review), **_actions(request.user, review)})


@require_POST
@permission_required(Perm.PREPARE_REPORTS)
def review_action(request, pk, verb):
    review = get_visible_or_404(Review, request.user, pk=pk)
    _act(request, review, verb)
    return redirect("assessment:review_detail", pk=review.pk)


@permission_required(Perm.PREPARE_REPORTS)
def review_download(request, pk, fmt):
    if fmt not in FILES:
        raise Http404
    review = get_visible_or_404(Review.objects.select_related("area"), request.user, pk=pk)
    response = HttpResponse(review_file(review, fmt), content_type=FILES[fmt])
    response["Content-Disposition"] = f'attachment; filename="review-{review.ends_on:%Y%m%d}-{review.pk}.{fmt}"'
    return response
