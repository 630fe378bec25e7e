"""后台作业: the background jobs (briefs, `generate`, purge, key rotation) one may follow — one's own, and
all of them for who sees the whole town — each with a live progress bar (htmx) and what it made."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import background
from .models import BackgroundJob
from .permissions import login_required
from .visibility import get_visible_or_404

LISTED = 50


@login_required
def job_list(request):
    background.mark_interrupted()  # work of a worker that stopped says so instead of "running" for ever
    jobs = BackgroundJob.objects.visible_to(request.user).select_related("created_by")[:LISTED]
    return render(request, "core/background_jobs.html", {"jobs": [background.live_progress(j) for j in jobs]})


@login_required
def job_detail(request, pk):
    background.mark_interrupted()
    job = background.live_progress(get_visible_or_404(BackgroundJob, request.user, pk=pk))
    template = "core/_background_job.html" if request.headers.get("HX-Request") else "core/background_job.html"
    return render(request, template, {"job": job, "links": background.links_of(job, request.user),
                                      "may_restart": background.may_restart(job, request.user)})


@require_POST
@login_required
def job_restart(request, pk):
    job = get_visible_or_404(BackgroundJob, request.user, pk=pk)
    if not background.restart(job, request.user):
        messages.error(request, _("This work cannot be started again by you, or has been started again already."))
    return redirect("jobs:detail", job.pk)
