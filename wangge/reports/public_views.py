"""The public pages (no account): report a problem (随手拍), look up a report and rate its result.

Abuse control without SMS: a rate limit per client address and per phone (core/ratelimit.py, counted in
the shared cache), a signed single-use arithmetic captcha (captcha.py), photo checks as for inspections.
A refused request writes nothing. The pages show nothing personal: the status page names the category,
the stage, dates and the department, never the text, place, phone or a person."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from wangge.core import crypto, ratelimit
from wangge.core.validators import normalise

from . import captcha, conf, services
from .forms import LookupForm, RatingForm, ReportForm
from .models import PublicReport

HOUR, DAY = 3600, 86400


def _page(request, template, context, status=200):
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)  # a captcha or a status must not be served from a cache
    return response


def _too_many(request, retry_after: int):
    response = _page(request, "reports/public_refused.html", {
        "message": _("Too many requests. Try again later.")}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _with_captcha(form: ReportForm) -> dict:
    token = captcha.new_token()
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["captcha_token"], form.data["captcha_answer"] = token, ""
    else:
        form.initial["captcha_token"] = token
    return {"form": form, "captcha_image": captcha.image(token)}


def _browse_allowed(request) -> tuple[bool, int]:
    return ratelimit.allow(request, "public-report-page", conf.lookups_per_minute())


@sensitive_post_parameters("phone")
def report_page(request):
    if request.method != "POST":
        allowed, retry = _browse_allowed(request)
        if not allowed:
            return _too_many(request, retry)
        return _page(request, "reports/public_report.html", _with_captcha(ReportForm()))
    allowed, retry = ratelimit.allow(request, "public-report", conf.per_ip_per_hour(), window=HOUR)
    if not allowed:
        return _too_many(request, retry)
    form = ReportForm(request.POST, request.FILES)
    if not captcha.check(request.POST.get("captcha_token", ""), request.POST.get("captcha_answer", "")):
        form.is_valid()
        form.add_error("captcha_answer", _("The answer to the sum is not right, or the picture has expired: "
                                           "try the new one."))
        return _page(request, "reports/public_report.html", _with_captcha(form), status=422)
    if form.is_valid():
        data = form.cleaned_data
        phone = normalise(data["phone"])
        if phone:
            allowed, retry = ratelimit.allow_key("public-report-phone", crypto.keyed_hash(phone),
                                                 conf.per_phone_per_day(), window=DAY, count=False)
            if not allowed:
                return _too_many(request, retry)
        try:
            report = services.submit_report(category=data["category"], description=data["description"],
                                            address=data["address"], latitude=data["latitude"],
                                            longitude=data["longitude"], phone=phone, photo=data["photo"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                field = "address" if field == "location" else field  # the place: shown under the address
                form.add_error(field if field in form.fields else None, messages)
        else:
            if report.phone:
                ratelimit.allow_key("public-report-phone", report.phone_hash, conf.per_phone_per_day(), window=DAY)
            return _page(request, "reports/public_done.html", {
                "number": report.tracking_number, "has_phone": bool(report.phone),
                "joined": report.duplicate_of_id is not None})
    return _page(request, "reports/public_report.html", _with_captcha(form), status=422)


def _status_context(report: PublicReport) -> dict:
    order = report.order
    return {"report": report, "stage": services.stage(order), "order": order,
            "department": order.department.name if order.department_id else "",
            "may_rate": services.may_rate(report), "token": services.status_token(report),
            "joined": report.duplicate_of_id is not None}


@sensitive_post_parameters("digits")
def status_page(request):
    allowed, retry = _browse_allowed(request)
    if not allowed:
        return _too_many(request, retry)
    if request.method != "POST":
        return _page(request, "reports/public_status.html", {"lookup": LookupForm()})
    if "token" in request.POST:
        return _rate(request)
    lookup = LookupForm(request.POST)
    if not lookup.is_valid():
        return _page(request, "reports/public_status.html", {"lookup": lookup}, status=422)
    number = normalise(lookup.cleaned_data["tracking_number"]).upper()
    open_, retry = ratelimit.allow_key("public-report-digits", number, conf.wrong_digits_per_hour(), window=HOUR,
                                       count=False)
    if not open_:
        return _too_many(request, retry)
    report = PublicReport.objects.select_related("order__department").filter(tracking_number=number).first()
    if report is None or not services.digits_match(report, lookup.cleaned_data["digits"]):
        if report is not None:
            ratelimit.allow_key("public-report-digits", number, conf.wrong_digits_per_hour(), window=HOUR)
        lookup.add_error(None, _("No report matches this tracking number and these digits."))
        return _page(request, "reports/public_status.html", {"lookup": lookup}, status=404)
    return _page(request, "reports/public_status.html", {**_status_context(report), "rating": RatingForm()})


def _rate(request):
    report = services.report_for_token(request.POST.get("token", ""))
    if report is None:
        return _page(request, "reports/public_status.html", {
            "lookup": LookupForm(), "expired": _("This page has expired: look up your report again.")}, status=404)
    rating = RatingForm(request.POST)
    if rating.is_valid():
        try:
            report = services.rate(report, satisfaction=rating.cleaned_data["satisfaction"],
                                   comment=rating.cleaned_data["comment"])
        except ValidationError as exc:
            rating.add_error(None, exc.messages)
        else:
            return _page(request, "reports/public_status.html", {
                **_status_context(report), "rated": report.get_satisfaction_display(),
                "reopened": report.satisfaction == "dissatisfied"})
    return _page(request, "reports/public_status.html", {**_status_context(report), "rating": rating}, status=422)
