import datetime
import re

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wangge.core.permissions import permission_required
from wangge.core.roles import Perm
from wangge.core.trail import trail_of
from wangge.core.views import apply_form
from wangge.core.visibility import get_visible_or_404
from wangge.inspections.models import Inspection

from . import ratelimit, services
from .checklist import SAMPLING_STANDARD
from .choices import WAIT_BUTTONS, Weekday
from .figures import SHIFT_ORDER, day_and_week, latest_date_with_figures
from .forms import ShiftForm, SiteForm, StatusForm
from .hours import day_text, state
from .models import SamplingSite, SiteShift
from .public import public_sites

LATEST_SHIFTS = 42


def _sites(request):
    return SamplingSite.objects.visible_to(request.user)


def _chosen_date(request, sites) -> tuple[datetime.date, bool]:
    """The asked-for day; else today, or the last day with figures when today has none yet."""
    text = request.GET.get("date", "")
    try:
        asked = parse_date(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        asked = None
    today = timezone.localdate()
    if asked:
        return min(asked, today), False
    if SiteShift.objects.filter(site__in=sites, date=today).exists():
        return today, False
    latest = latest_date_with_figures(sites, today)
    return (latest, True) if latest else (today, False)


@permission_required(Perm.VIEW_SAMPLING)
def overview(request):
    """Today's throughput, staffing and state per site, and a week of throughput."""
    sites = list(_sites(request).select_related("grid__parent").prefetch_related("hours"))
    day, fell_back = _chosen_date(request, [s.pk for s in sites])
    today, week = day_and_week([s.pk for s in sites], day)
    now = timezone.now()
    rows = []
    for site in sites:
        rows.append({"site": site, "state": state(site.periods(), site.status, now), "day": today.get(site.pk),
                     "week": week.by_site.get(site.pk, [0] * 7)})
        # Each count beside its date, for the phone's cards.
        rows[-1]["week_days"] = list(zip(week.dates, rows[-1]["week"], strict=True))
    chart = {"dates": [d.strftime("%m-%d") for d in week.dates],
             "series": [{"name": r["site"].name, "data": r["week"]} for r in rows if any(r["week"])]}
    return render(request, "sampling/overview.html", {
        "rows": rows, "day": day, "fell_back": fell_back, "week": week, "chart": chart,
        "week_totals": list(zip(week.dates, week.totals, strict=True)),
        "day_total": sum(r["day"].samples for r in rows if r["day"]),
        "can_edit": request.user.can(Perm.EDIT_SAMPLING), "can_report": request.user.can(Perm.REPORT_SAMPLING),
    })


def _detail_context(request, site, shift_form=None, status_form=None):
    periods = site.periods()
    # The latest two weeks' worth of shifts (three a day), newest day first, morning first within a day.
    latest = list(SiteShift.objects.filter(site=site).order_by("-date", "-id")[:LATEST_SHIFTS])
    latest.sort(key=lambda r: (-r.date.toordinal(), SHIFT_ORDER.index(r.shift)))
    return {
        "object": site, "state": state(periods, site.status, timezone.now()),
        "hours": [(day.label, day_text(periods, int(day), _("next day"))) for day in Weekday],
        "wait_buttons": WAIT_BUTTONS, "shifts": latest,
        "shift_form": shift_form or ShiftForm(), "status_form": status_form or StatusForm(
            initial={"status": site.status, "reason": site.status_reason}),
        "can_edit": request.user.can(Perm.EDIT_SAMPLING), "can_report": request.user.can(Perm.REPORT_SAMPLING),
        "trail": trail_of(site) if request.user.can(Perm.VIEW_AUDIT) else None,
        # Inspections of the site against the sampling standard (the inspections engine, reused).
        "inspections": Inspection.objects.visible_to(request.user).filter(
            subject_type=ContentType.objects.get_for_model(SamplingSite), subject_id=site.pk
        ).select_related("work_order")[:20] if request.user.can(Perm.VIEW_INSPECTIONS) else None,
        "can_inspect": request.user.can(Perm.INSPECT), "checklist_code": SAMPLING_STANDARD[0],
    }


@permission_required(Perm.VIEW_SAMPLING)
def site_detail(request, pk):
    site = get_visible_or_404(_sites(request).select_related("grid", "wait_set_by").prefetch_related("hours"),
                              request.user, pk=pk)
    return render(request, "sampling/site_detail.html", _detail_context(request, site))


@permission_required(Perm.EDIT_SAMPLING)
def site_edit(request, pk=None):
    site = get_visible_or_404(_sites(request).prefetch_related("hours"), request.user, pk=pk) if pk else SamplingSite()
    form = SiteForm(request.POST or None, instance=site, user=request.user)

    def save(form):
        for name in services.EDITABLE:
            setattr(site, name, form.cleaned_data.get(name))
        form.instance = services.save_site(request.user, site, form.cleaned_data.get("version") if pk else None,
                                           hours=form.cleaned_data["periods"])

    if request.method == "POST" and apply_form(request, form, save):
        return redirect("sampling:site_detail", pk=form.instance.pk)
    return render(request, "sampling/site_form.html", {"form": form, "object": site if pk else None,
                                                       "trail": trail_of(site) if pk else None})


@require_POST
@permission_required(Perm.EDIT_SAMPLING)
def site_status(request, pk):
    site = get_visible_or_404(_sites(request), request.user, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_status(request.user, site, form.cleaned_data["status"], form.cleaned_data["reason"])
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("sampling:site_detail", pk=pk)


@require_POST
@permission_required(Perm.REPORT_SAMPLING)
def site_wait(request, pk):
    """One tap: the waiting time. htmx swaps in the updated panel; without htmx, back to the page."""
    site = get_visible_or_404(_sites(request).select_related("wait_set_by"), request.user, pk=pk)
    try:
        minutes = int(request.POST.get("minutes", ""))
        services.set_wait(request.user, site, minutes)
        error = None
    except (ValueError, ValidationError):
        error = _("A waiting time is 0 to 600 minutes.")
    if request.headers.get("HX-Request"):
        response = render(request, "sampling/_wait.html", {"object": site, "wait_buttons": WAIT_BUTTONS,
                                                          "can_report": True, "wait_error": error})
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Waiting time set."))
    return redirect("sampling:site_detail", pk=pk)


@require_POST
@permission_required(Perm.REPORT_SAMPLING)
def site_shift(request, pk):
    site = get_visible_or_404(_sites(request).select_related("grid", "wait_set_by").prefetch_related("hours"),
                              request.user, pk=pk)
    form = ShiftForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            _row, result = services.record_shift(
                request.user, site, data["date"], data["shift"], samples=data["samples"],
                staff_count=data["staff_count"], volunteer_count=data["volunteer_count"])
            messages.success(request, {"created": _("Shift recorded."), "updated": _("Shift corrected."),
                                       "unchanged": _("Nothing changed.")}[result])
            return redirect("sampling:site_detail", pk=pk)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    return render(request, "sampling/site_detail.html", _detail_context(request, site, shift_form=form), status=400)


@require_POST
@permission_required(Perm.EDIT_SAMPLING)
def site_delete(request, pk):
    site = get_visible_or_404(_sites(request), request.user, pk=pk)
    try:
        services.delete_site(request.user, site)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("sampling:site_detail", pk)
    messages.success(request, _("Deleted."))
    return redirect("sampling:overview")


@require_GET
def public_page(request):
    """No login: open now and soon, hours, distance (in the browser), the waiting time. Nothing personal."""
    allowed, retry_after = ratelimit.allow(request, "sampling-public")
    if not allowed:
        response = HttpResponse(_("Too many requests. Try again in a minute."), status=429,
                                content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(retry_after)
        return response
    now = timezone.now()
    sites = public_sites(now)
    return render(request, "sampling/public.html", {
        "cards": [_card(entry, now) for entry in sites], "now": now,
        "open_count": sum(1 for s in sites if s["open_now"]),
    })


def _when(iso: str | None, now: datetime.datetime) -> str:
    """An opening or closing time for people: 20:00, 明天 07:00, 周一 07:00."""
    if not iso:
        return ""
    moment = timezone.localtime(datetime.datetime.fromisoformat(iso))
    days = (moment.date() - timezone.localtime(now).date()).days
    if days == 0:
        return moment.strftime("%H:%M")
    if days == 1:
        return _("tomorrow %(time)s") % {"time": moment.strftime("%H:%M")}
    return f"{Weekday(moment.weekday()).label} {moment:%H:%M}"


def _card(entry: dict, now: datetime.datetime) -> dict:
    age = None
    if entry["wait_set_at"]:
        age = int((now - datetime.datetime.fromisoformat(entry["wait_set_at"])).total_seconds() // 60)
    return {"site": entry, "wait_age": max(age, 0) if age is not None else None,
            "closes": _when(entry["closes_at"], now), "opens": _when(entry["opens_at"], now),
            "wait_plus": (entry["wait_minutes"] or 0) >= WAIT_BUTTONS[-1]}
