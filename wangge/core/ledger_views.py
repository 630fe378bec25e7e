"""台账: templates, exports and imports of every ledger kind, for the kinds the user may use."""

import datetime
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import export_jobs, jobs
from .exporting import export_file, print_table
from .exports import extra_exports
from .models import ExportJob, ImportJob, ImportStatus
from .permissions import login_required
from .roles import Perm
from .tabular.kinds import all_kinds, get_kind
from .tabular.writing import CONTENT_TYPES, template_workbook
from .visibility import get_visible_or_404


def _may(user, kind, permission) -> bool:
    return kind.allows(user, permission)


def _kind(name: str, permission_attr: str, user):
    try:
        kind = get_kind(name)
    except KeyError:
        raise Http404 from None
    if not _may(user, kind, getattr(kind, permission_attr)):
        raise PermissionDenied
    return kind


def _download(body: bytes, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def index(request):
    user = request.user
    kinds = [{"kind": k, "can_import": _may(user, k, k.import_permission),
              "can_export": _may(user, k, k.export_permission) and not k.needs} for k in all_kinds()]
    kinds = [k for k in kinds if k["can_import"] or k["can_export"]]
    extras = extra_exports(user)
    if not kinds and not extras:
        raise PermissionDenied
    jobs.mark_interrupted()  # jobs of a process that stopped say so instead of "running" for ever
    recent = ImportJob.objects.visible_to(user).filter(created_by=user).defer("data", "report")[:20]
    return render(request, "core/ledgers.html", {"kinds": kinds, "recent": recent, "extras": extras})


@login_required
def template(request, kind):
    ledger = _kind(kind, "import_permission", request.user)
    return _download(template_workbook(ledger), f"{ledger.name}-template.xlsx", "xlsx")


@login_required
def export(request, kind, fmt):
    ledger = _kind(kind, "export_permission", request.user)
    unmasked = request.GET.get("unmasked") == "1" and bool(ledger.masked)
    if unmasked and not request.user.can(Perm.REVEAL_PERSONAL):
        raise PermissionDenied
    if export_jobs.too_long(ledger, request.user, request.GET, unmasked):  # a worker writes it; the page follows
        job = export_jobs.start(ledger, request.user, request.GET, fmt, unmasked)
        return redirect("ledgers:export_job", pk=job.pk)
    body, _count = export_file(ledger, request.user, request.GET, fmt, unmasked=unmasked)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _download(body, f"{ledger.name}-{stamp}.{fmt}", fmt)


@login_required
def print_list(request, kind):
    """The list with the page's filters, laid out for A4 (the town's header on every page, page numbers)."""
    ledger = _kind(kind, "export_permission", request.user)
    back = request.GET.copy()
    back.pop("page", None)
    return render(request, "core/ledger_print.html", {
        **print_table(ledger, request.user, request.GET), "ledger": ledger, "query_string": back.urlencode()})


@login_required
def upload(request, kind):
    ledger = _kind(kind, "import_permission", request.user)
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a file to import.")
        elif upload.size > settings.IMPORT_MAX_BYTES:
            error = _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        else:
            job = jobs.submit(request.user, ledger.name, upload.name, upload.read(), dry_run=True)
            return redirect("ledgers:job", pk=job.pk)
    return render(request, "core/ledger_upload.html", {"ledger": ledger, "error": error})


@login_required
def job(request, pk):
    jobs.mark_interrupted()
    job = jobs.live_progress(get_visible_or_404(ImportJob.objects.defer("data", "report"), request.user, pk=pk))
    template = "core/_import_job.html" if request.headers.get("HX-Request") else "core/import_job.html"
    return render(request, template, {"job": job, "ledger": get_kind(job.kind)})


@require_POST
@login_required
def confirm(request, pk):
    """Import the file that was checked: the same bytes, now for real."""
    checked = get_visible_or_404(ImportJob, request.user, pk=pk)
    _kind(checked.kind, "import_permission", request.user)
    if not (checked.dry_run and checked.status == "done"):
        raise PermissionDenied
    job = jobs.import_checked(request.user, checked)
    if job is None:
        messages.error(request, _("This checked file is no longer kept. Upload it again."))
        return redirect("ledgers:job", pk=checked.pk)
    return redirect("ledgers:job", pk=job.pk)


@require_POST
@login_required
def restart(request, pk):
    """The same import again after its worker stopped (jobs.restart): only its owner, while its file is kept."""
    job = get_visible_or_404(ImportJob.objects.defer("data", "report"), request.user, pk=pk)
    _kind(job.kind, "import_permission", request.user)
    if not jobs.restart(job, request.user):
        messages.error(request, _("This import cannot be started again: its file is no longer kept. Upload it again."))
    return redirect("ledgers:job", pk=job.pk)


def report_days() -> int:
    return settings.PERSONAL_DATA_RETENTION["import_files"]


@login_required
def job_report(request, pk):
    """The uploader's own file with the bad cells marked. It holds their unmasked input, so nobody else
    gets it (an administrator neither: 404), and not after the retention of uploads."""
    since = timezone.now() - datetime.timedelta(days=report_days())
    mine = ImportJob.objects.filter(created_by=request.user, created_at__gte=since, report__isnull=False)
    job = get_visible_or_404(mine, request.user, pk=pk)
    stem = job.filename.rsplit(".", 1)[0] if "." in job.filename else job.filename
    response = _download(bytes(job.report), f"{job.kind}-errors.xlsx", "xlsx")
    name = quote(_("%(name)s (to correct).xlsx") % {"name": stem})
    response["Content-Disposition"] += f"; filename*=UTF-8''{name}"
    return response


@login_required
def export_job(request, pk):
    export_jobs.mark_interrupted()
    job = export_jobs.live_progress(get_visible_or_404(ExportJob, request.user, pk=pk))
    template = "core/_export_job.html" if request.headers.get("HX-Request") else "core/export_job.html"
    return render(request, template, {"job": job})


@login_required
def export_download(request, pk):
    """Only the one who asked (the scoping's owner), through this check; never a storage URL."""
    job = get_visible_or_404(ExportJob.objects.filter(created_by=request.user), request.user, pk=pk)
    if job.status != ImportStatus.DONE or not job.file:
        raise Http404
    try:
        handle = default_storage.open(job.file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    stamp = timezone.localtime(job.finished_at).strftime("%Y%m%d-%H%M")
    response = FileResponse(handle, as_attachment=True, filename=f"{job.kind}-{stamp}.{job.fmt}",
                            content_type=CONTENT_TYPES[job.fmt])
    response["Cache-Control"] = "no-store"
    return response
