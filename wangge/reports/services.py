"""Verbs on public reports (群众报事).

A report from the public page (随手拍) or a 12345 hotline case becomes a work order of kind public report
through `workorders.services.open_order`, routed by category (ReportRoute) and placed in the grid of its
place (location.py). A report of the same place and category within the window joins the first report's
open order instead (one order; every reporter follows it by their own tracking number). The grid's
workers and cadres are told through workorders.notify, so the channels deliver it.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.coords import distance_m
from wangge.core.models import Area, Department, User
from wangge.core.roles import Perm, Role, Scope
from wangge.core.services import require, save_versioned
from wangge.core.towns import routed_department
from wangge.core.validators import normalise, validate_phone
from wangge.workorders import services as orders
from wangge.workorders.choices import Kind, Priority, State
from wangge.workorders.models import Notification
from wangge.workorders.notify import Notice, notify_many

from . import conf
from .choices import PublicStage, ReportCategory, ReportChannel
from .location import Location, locate
from .models import PublicReport, ReportRoute

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone
STATUS_SALT = "wangge.reports.status"
STATUS_MINUTES = 30
DESCRIPTION_MAX = 1000


def new_tracking_number(now: datetime.datetime) -> str:
    """SP + date + six random characters: unguessable (31^6 ≈ 9×10^8 a day), so numbers cannot be walked."""
    return f"SP{timezone.localtime(now):%y%m%d}" + "".join(secrets.choice(ALPHABET) for _n in range(6))


def route_of(category: str, grid_id: int | None) -> Department | None:
    """The department the town of the grid sends this category of report to (docs/TOWNS.md)."""
    return routed_department(ReportRoute, grid_id, category)


@dataclass
class ReportInput:
    category: str
    description: str
    phone: str = ""


def clean_input(category: str, description: str, phone: str, *, landline: bool = True) -> ReportInput:
    errors = {}
    if category not in ReportCategory.values:
        errors["category"] = _("Choose a category.")
    description = (description or "").strip()
    if len(description) < 5:
        errors["description"] = _("Describe the problem in a few words (at least 5 characters).")
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = _("At most %(n)s characters.") % {"n": DESCRIPTION_MAX}
    phone = normalise(phone or "")
    if phone:
        try:
            phone = validate_phone(phone)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return ReportInput(category, description, phone)


def check_photo(upload) -> tuple[bytes, str]:
    """The photo checked and re-encoded as for inspections (no GPS or camera kept): (bytes, extension)."""
    from wangge.core.images import without_metadata
    from wangge.core.uploads import check_upload

    try:
        _extension, content_type = check_upload(upload)
        if not content_type.startswith("image/"):
            raise ValidationError(_("Only photos (JPEG, PNG, WebP, GIF) are accepted."))
        data, extension, _type = without_metadata(upload)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None
    return data, extension


def store_photo(data: bytes, extension: str) -> str:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from wangge.core.uploads import random_path

    return default_storage.save(random_path("public-reports", extension), ContentFile(data))


# --- duplicates -------------------------------------------------------------------------------------

def same_place(report: PublicReport, place: Location) -> bool:
    if place.segment is not None and report.segment_id == place.segment.pk:
        return True
    if None in (place.latitude, place.longitude, report.latitude, report.longitude):
        return False
    return distance_m(report.latitude, report.longitude, place.latitude, place.longitude) <= conf.duplicate_metres()


def first_report(category: str, place: Location, now: datetime.datetime) -> PublicReport | None:
    """The earliest first report of the same place and category within the window whose order is open."""
    since = now - datetime.timedelta(hours=conf.duplicate_hours())
    candidates = (PublicReport.objects.filter(grid=place.grid, category=category, received_at__gte=since,
                                              received_at__lte=now, duplicate_of__isnull=True)
                  .exclude(order__state=State.CLOSED).select_related("order").order_by("received_at", "id"))
    return next((r for r in candidates if same_place(r, place)), None)


# --- receiving --------------------------------------------------------------------------------------

def grid_people(grid: Area) -> list[User]:
    """The grid workers and neighbourhood cadres whose areas hold the grid."""
    people = (User.objects.filter(is_active=True, role_assignments__role__in=[Role.GRID_WORKER,
                                                                              Role.NEIGHBOURHOOD_CADRE])
              .distinct().prefetch_related("areas"))
    return [u for u in people if any(grid.path.startswith(p) for p in u.area_paths)]


def _tell_grid(report: PublicReport) -> None:
    order = report.order
    what = {"id": order.pk, "category": report.get_category_display(), "grid": report.grid.name,
            "channel": report.get_channel_display()}
    text = _("New public report #%(id)s in %(grid)s (%(category)s, %(channel)s).") % what
    outside = _("New public report #%(id)s in %(grid)s (%(category)s): open Wangge to see it.") % what
    link = reverse("workorders:order_detail", args=[order.pk])
    # A cadre already told to assign the new order (workorders.notify.assigners) is not told twice.
    told = set(Notification.objects.filter(order=order).values_list("user_id", flat=True))
    notify_many([Notice(u, text, f"public-report:{report.pk}", order, 0, link, outside)
                 for u in grid_people(report.grid) if u.pk not in told])


@transaction.atomic
def receive(actor: User | None, entry: ReportInput, place: Location, *, channel: str = ReportChannel.WEB,
            photo_name: str = "", hotline_case: str = "", now: datetime.datetime | None = None) -> PublicReport:
    """Record one report and open its order, or link it to the first report of the same problem."""
    Area.objects.select_for_update().filter(pk=place.grid.pk).first()  # reports of one grid one at a time
    now = now or timezone.now()  # after the lock: a report that went first is earlier than this one
    first = first_report(entry.category, place, now)
    report = PublicReport(
        tracking_number=new_tracking_number(now), channel=channel, hotline_case=hotline_case,
        category=entry.category, description=entry.description, address=place.address, segment=place.segment,
        latitude=place.latitude, longitude=place.longitude, grid=place.grid, photo=photo_name, phone=entry.phone,
        received_at=now, duplicate_of=first, order=first.order if first else None)
    report.audit_reason = str(report.get_channel_display())
    save_versioned(report, None)
    if first is not None:
        orders.record_duplicate(first.order, _("Reported again: %(number)s (%(channel)s); %(n)s reports of this "
                                               "problem.") % {"number": report.tracking_number,
                                                              "channel": report.get_channel_display(),
                                                              "n": first.duplicates.count() + 1})
        return report
    category = report.get_category_display()
    source = (_("12345 hotline case %(case)s") % {"case": hotline_case} if hotline_case
              else _("Public report %(number)s") % {"number": report.tracking_number})
    order = orders.open_order(
        actor, kind=Kind.PUBLIC_REPORT, title=f"{category}：{entry.description[:60]}"[:200], grid=place.grid,
        department=route_of(entry.category, place.grid.pk), category=entry.category, description=entry.description,
        source=source[:200], source_object=report, subject_label=(place.address or str(place.segment or ""))[:200],
        priority=Priority.NORMAL, today=timezone.localdate(now))
    report.order = order
    save_versioned(report, report.version)
    _tell_grid(report)
    return report


def submit_report(*, category: str, description: str, address: str = "", latitude=None, longitude=None,
                  phone: str = "", photo=None, now: datetime.datetime | None = None) -> PublicReport:
    """A report from the public page (no account): checked whole before anything is written."""
    errors, entry, place, picture = {}, None, None, None
    for check in (lambda: clean_input(category, description, phone), lambda: locate(address, latitude, longitude),
                  lambda: check_photo(photo) if photo else None):
        try:
            found = check()
        except ValidationError as exc:
            errors.update(exc.message_dict if hasattr(exc, "error_dict") else {"location": exc.messages})
            continue
        if isinstance(found, ReportInput):
            entry = found
        elif isinstance(found, Location):
            place = found
        else:
            picture = found
    if errors:
        raise ValidationError(errors)
    photo_name = store_photo(*picture) if picture else ""
    try:
        return receive(None, entry, place, photo_name=photo_name, now=now)
    except Exception:
        if photo_name:
            from django.core.files.storage import default_storage

            default_storage.delete(photo_name)  # no orphan file when the row cannot be written
        raise


# --- the 12345 hotline -------------------------------------------------------------------------------

def check_hotline_scope(actor: User, grid: Area) -> None:
    require(actor, Perm.MANAGE_WORKORDERS)
    if Scope.ALL in actor.scopes or (Scope.AREA in actor.scopes
                                     and any(grid.path.startswith(p) for p in actor.area_paths)):
        return
    raise ValidationError({"address": _("This place lies outside your area.")})


def receive_hotline_case(actor: User, *, case: str, entry: ReportInput, place: Location,
                         received_at: datetime.datetime) -> PublicReport:
    check_hotline_scope(actor, place.grid)
    return receive(actor, entry, place, channel=ReportChannel.HOTLINE, hotline_case=case, now=received_at)


HOTLINE_FIELDS = ("category", "description", "phone", "address")


@transaction.atomic
def update_hotline_case(actor: User, report: PublicReport, entry: ReportInput, address: str) -> PublicReport:
    """A changed row of a re-imported export: the report's text, category, phone and address follow it, and
    so does its own order's description while that order is open (a linked report's order is the first
    report's, left alone). The place and routing stay as received."""
    check_hotline_scope(actor, report.grid)
    report.category, report.description, report.phone, report.address = (
        entry.category, entry.description, entry.phone, address)
    report.audit_reason = str(_("12345 hotline export imported again"))
    save_versioned(report, report.version)
    order = report.order
    if report.duplicate_of_id is None and order.state != State.CLOSED:
        orders.update_order(actor, order, order.version, description=entry.description, category=entry.category,
                            title=f"{report.get_category_display()}：{entry.description[:60]}"[:200])
    return report


# --- the reporter's own look-up and rating ---------------------------------------------------------------

def stage(order) -> str:
    if order.state == State.CLOSED:
        return PublicStage.DONE
    return PublicStage.RECEIVED if order.state == State.NEW else PublicStage.HANDLING


def digits_match(report: PublicReport, digits: str) -> bool:
    """The last four digits of the phone the report was sent with; a report sent without a phone is found
    by its tracking number alone (which nobody can guess)."""
    digits = normalise(digits or "")
    if not report.phone:
        return digits == ""
    return len(digits) == 4 and digits.isdecimal() and report.phone.endswith(digits)


def status_token(report: PublicReport) -> str:
    return signing.dumps(report.pk, salt=STATUS_SALT, compress=False)


def report_for_token(token: str) -> PublicReport | None:
    try:
        pk = signing.loads(token or "", salt=STATUS_SALT, max_age=STATUS_MINUTES * 60)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return PublicReport.objects.select_related("order__department").filter(pk=pk).first() if isinstance(
        pk, int) else None


def may_rate(report: PublicReport) -> bool:
    order = report.order
    return order.state == State.CLOSED and report.rated_closure != order.closed_at


@transaction.atomic
def rate(report: PublicReport, *, satisfaction: str, comment: str = "") -> PublicReport:
    """The reporter's answer (回访) on the closed order: once per closure and reporter; dissatisfied
    reopens the order (workorders.services.rate_by_reporter)."""
    report = PublicReport.objects.select_for_update().get(pk=report.pk)  # no join: the order may not be null-joined
    closure = report.order.closed_at
    if not may_rate(report):
        raise ValidationError(_("You have already rated this result, or it is still being handled."))
    orders.rate_by_reporter(report.order, satisfaction=satisfaction, comment=comment)
    report.satisfaction, report.rating_comment, report.rated_closure = satisfaction, (comment or "").strip(), closure
    report.audit_reason = str(_("Rated by the reporter."))
    return save_versioned(report, report.version)
