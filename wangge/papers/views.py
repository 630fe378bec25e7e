"""Pages of the enforcement papers: the list, one paper (as it is printed), making one from an
inspection, the signature pad, the witnessed refusal, voiding and correcting, the PDF and .docx, and
the signature image. Rows come through `visible_to`; every verb goes through services.py."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.trail import trail_of
from wangge.core.visibility import get_visible_or_404
from wangge.inspections.models import Inspection

from . import services, verify
from .choices import PaperKind, PaperStatus
from .content import allowed_kinds
from .docx import write_docx
from .layout import qr_code, sheet
from .models import Paper
from .pdf import write_pdf
from .signature import from_data_url

FILES = {"pdf": ("application/pdf", write_pdf),
         "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", write_docx)}


def _base(request) -> str:
    return request.build_absolute_uri("/")


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@permission_required(Perm.VIEW_INSPECTIONS)
def paper_list(request):
    rows = Paper.objects.visible_to(request.user).select_related("premises", "department")
    kind, status = request.GET.get("kind", ""), request.GET.get("status", "")
    if kind in PaperKind.values:
        rows = rows.filter(kind=kind)
    if status in PaperStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows.order_by("-issued_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "papers/paper_list.html", {
        "page": page, "kinds": PaperKind.choices, "statuses": PaperStatus.choices, "kind": kind, "status": status})


@permission_required(Perm.VIEW_INSPECTIONS)
def paper_detail(request, pk):
    paper = get_visible_or_404(Paper.objects.select_related("premises", "department", "replaces", "inspection"),
                               request.user, pk=pk)
    link = verify.url(paper, _base(request))
    return render(request, "papers/paper_detail.html", {
        "paper": paper, "sheet": sheet(paper, _base(request)), "verify_url": link,
        "qr": qr_code(link).svg_data_uri(scale=4, border=2),
        "replaced_by": Paper.objects.visible_to(request.user).filter(replaces=paper).first(),
        "can_act": request.user.can(Perm.INSPECT),
        "trail": trail_of(paper) if request.user.can(Perm.VIEW_AUDIT) else None})


@permission_required(Perm.INSPECT)
def paper_create(request, inspection_pk):
    inspection = get_visible_or_404(Inspection.objects.select_related("premises"), request.user, pk=inspection_pk)
    kinds = [(k, PaperKind(k).label) for k in allowed_kinds(inspection)]
    errors = {}
    if request.method == "POST":
        try:
            paper = services.make_paper(request.user, inspection, request.POST.get("kind", ""),
                                        note=request.POST.get("note", ""))
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Paper %(number)s made: have the party sign it.") % {"number": paper.number})
            return redirect("papers:paper_detail", paper.pk)
    return render(request, "papers/paper_create.html", {
        "inspection": inspection, "kinds": kinds, "errors": errors, "chosen": request.POST.get("kind", ""),
        "note": request.POST.get("note", "")}, status=422 if errors else 200)


@permission_required(Perm.INSPECT)
def paper_sign(request, pk):
    """The signature pad (static/wangge/signature_pad.js): the party signs on the inspector's phone."""
    paper = get_visible_or_404(Paper, request.user, pk=pk)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("signature")
        try:
            if upload is None and request.POST.get("signature_data"):
                upload = from_data_url(request.POST["signature_data"])
            services.sign(request.user, paper, upload)
        except ValidationError as exc:
            error = _errors(exc)
        else:
            messages.success(request, _("Signed: the paper is issued."))
            return redirect("papers:paper_detail", paper.pk)
    return render(request, "papers/paper_sign.html", {"paper": paper, "error": error},
                  status=422 if error else 200)


@require_POST
@permission_required(Perm.INSPECT)
def paper_refuse(request, pk):
    paper = get_visible_or_404(Paper, request.user, pk=pk)
    try:
        services.refuse(request.user, paper, request.POST.get("witness", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The refusal to sign is recorded with its witness: the paper is issued."))
    return redirect("papers:paper_detail", paper.pk)


@require_POST
@permission_required(Perm.INSPECT)
def paper_void(request, pk):
    """Void (with a reason); with `correct=1` a new paper under a new number replaces it."""
    paper = get_visible_or_404(Paper, request.user, pk=pk)
    try:
        if request.POST.get("correct") == "1":
            new = services.correct(request.user, paper, request.POST.get("reason", ""),
                                   note=request.POST.get("note", paper.note))
        else:
            new = services.void(request.user, paper, request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("papers:paper_detail", paper.pk)
    if new.pk != paper.pk:
        messages.success(request, _("Paper %(old)s is void; %(new)s replaces it.") % {
            "old": paper.number, "new": new.number})
    else:
        messages.success(request, _("Paper %(number)s is void.") % {"number": paper.number})
    return redirect("papers:paper_detail", new.pk)


@permission_required(Perm.VIEW_INSPECTIONS)
def paper_file(request, pk, fmt):
    if fmt not in FILES:
        raise Http404
    paper = get_visible_or_404(Paper, request.user, pk=pk)
    content_type, write = FILES[fmt]
    response = HttpResponse(write(sheet(paper, _base(request))), content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=paper-{paper.pk}.{fmt}"
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required(Perm.VIEW_INSPECTIONS)
def paper_signature(request, pk):
    paper = get_visible_or_404(Paper, request.user, pk=pk)
    if not paper.signature:
        raise Http404
    try:
        handle = paper.signature.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def verify_page(request, token):
    """Public, no account: the number, unit, date, kind and status of a genuine paper — no person."""
    from wangge.core import ratelimit

    limit = int(getattr(settings, "PAPERS_VERIFY_RATE_LIMIT", 60))
    allowed, retry_after = ratelimit.allow(request, "paper-verify", limit)
    if not allowed:
        response = HttpResponse(_("Too many requests. Try again in a minute."), status=429,
                                content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(retry_after)
        return response
    paper = verify.paper_for(token)
    context = {"facts": verify.public_facts(paper)} if paper else {}
    response = render(request, "papers/verify.html", context, status=200 if paper else 404)
    response["X-Robots-Tag"] = "noindex"
    return response
