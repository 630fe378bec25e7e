"""Kept briefs: list, make one for yourself, download through the visibility check."""

from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from wangge.core import background
from wangge.core.permissions import login_required
from wangge.core.visibility import get_visible_or_404
from wangge.core.widgets import DateInput

from .briefs.jobs import params
from .choices import BriefKind
from .figures import Period
from .models import Brief

CONTENT_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "pdf": "application/pdf"}


DATE = DateInput(attrs={"class": "form-control form-control-sm"})


class DailyBriefForm(forms.Form):
    """A daily brief (工作日报) names one day; its figures show that day's number beside the total."""

    kind = BriefKind.DAILY
    day = forms.DateField(label=_l("Day"), widget=DATE)

    def period(self) -> Period:
        return Period(self.cleaned_data["day"], self.cleaned_data["day"])


class ReviewForm(forms.Form):
    """A review (复盘总结) covers a period."""

    kind = BriefKind.REVIEW
    starts_on = forms.DateField(label=_l("From"), widget=DATE)
    ends_on = forms.DateField(label=_l("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["starts_on"] > data["ends_on"]:
            self.add_error("ends_on", _("The first day must not be after the last day."))
        return data

    def period(self) -> Period:
        return Period(self.cleaned_data["starts_on"], self.cleaned_data["ends_on"])


FORMS = {BriefKind.DAILY: DailyBriefForm, BriefKind.REVIEW: ReviewForm}


@login_required
def brief_list(request, form=None):
    forms_ = {kind: FORMS[kind](prefix=kind) for kind in FORMS}
    if form is not None:
        forms_[form.kind] = form
    return render(request, "dashboard/briefs.html", {
        "briefs": Brief.objects.visible_to(request.user).select_related("area", "made_for")[:100],
        "daily_form": forms_[BriefKind.DAILY], "review_form": forms_[BriefKind.REVIEW]})


@require_POST
@login_required
def brief_create(request):
    kind = request.POST.get("kind")
    if kind not in FORMS:
        kind = BriefKind.DAILY
    form = FORMS[kind](request.POST, prefix=kind)
    if not form.is_valid():
        return brief_list(request, form)
    job = background.submit("brief", request.user, params(kind, form.period(), language=request.LANGUAGE_CODE))
    messages.success(request, _("The brief is being made in the background; this page shows when it is ready."))
    return redirect("jobs:detail", job.pk)


@login_required
def brief_download(request, pk, fmt):
    if fmt not in CONTENT_TYPES:
        raise Http404
    brief = get_visible_or_404(Brief, request.user, pk=pk)
    try:  # streamed from the storage (disk or object store), never a public URL
        handle = default_storage.open(brief.docx_file if fmt == "docx" else brief.pdf_file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    name = f"{brief.get_kind_display()}-{brief.starts_on:%Y%m%d}-{brief.ends_on:%Y%m%d}.{fmt}"
    return FileResponse(handle, as_attachment=True, filename=name, content_type=CONTENT_TYPES[fmt])
