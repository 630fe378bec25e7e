"""Ledger kinds of the 12345 hotline: `hotline-cases` (the district's export of cases for the town, keyed by
the hotline's case number: imported again, an unchanged row is left alone and a changed one updates its
report) and `hotline-replies` (export only: the reply sheet handed back to the hotline)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.core.models import Area, AreaLevel
from wangge.core.roles import Perm
from wangge.core.tabular.columns import Column, header_key, parse_day
from wangge.core.tabular.kinds import LedgerKind, RowError, register, row_errors_from
from wangge.core.validators import normalise
from wangge.workorders.choices import State, Verb
from wangge.workorders.models import WorkOrderEvent

from . import services
from .choices import ReportCategory, ReportChannel
from .location import locate
from .models import PublicReport

CASE = re.compile(r"^[0-9A-Za-z-]{4,40}$")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


def parse_moment(text) -> datetime.datetime | None:
    """2022-07-14 09:31[:00] (or any date form parse_day reads, with a time after it) as local time."""
    day = parse_day(text)
    if day is None:
        return None
    rest = str(text).split("T", 1)[1] if "T" in str(text) else " ".join(str(text).split()[1:])
    found = _TIME.search(rest)
    hour, minute, second = (int(found[1]), int(found[2]), int(found[3] or 0)) if found else (0, 0, 0)
    try:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))
    except ValueError:
        return None


@register
class HotlineCaseKind(LedgerKind):
    name = "hotline-cases"
    label = _l("12345 hotline cases")
    model = PublicReport
    import_permission = Perm.MANAGE_WORKORDERS
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_WORKORDERS
    masked = {"phone"}
    columns = [
        Column("case", _l("Hotline case number"), required=True, aliases=("工单编号", "工单号", "案件编号", "受理编号"),
               example="2207141234567", width=18),
        Column("received_at", _l("Received at"), required=True, aliases=("受理时间", "来电时间", "派单时间"),
               example="2022-07-14 09:31", width=17),
        Column("category", _l("Category"), required=True, aliases=("问题分类", "诉求类别", "事项分类"),
               choices=lambda: ReportCategory.choices, example="市容秩序", width=14),
        Column("description", _l("What was reported"), required=True, aliases=("诉求内容", "来电内容", "问题描述"),
               example="剑河路10号门口有人占道设摊，影响通行。", width=40),
        Column("address", _l("Place"), aliases=("事发地址", "发生地址", "地址"), example="剑河路10号", width=20,
               help=_l("Road and house number: placed on its road segment and grid")),
        Column("grid", _l("Grid"), aliases=("所属网格", "网格编码"), example="",
               help=_l("The grid's code or name, when the place matches no road segment")),
        Column("phone", _l("Caller's phone"), aliases=("来电号码", "联系电话", "诉求人电话"), example="13900001111"),
    ]

    def key(self, cleaned):
        return cleaned["case"]

    def prepare(self, actor, raw_rows):
        grids = {}
        for grid in Area.objects.visible_to(actor).filter(level=AreaLevel.GRID).only("code", "name", "path"):
            grids[header_key(grid.code)] = grids[header_key(grid.name)] = grid
        return {"grids": grids}

    def clean(self, actor, row, context):
        errors = {}
        case = normalise(row.get("case", "")).removesuffix(".0")
        if not CASE.match(case):
            errors["case"] = _("A case number is 4 to 40 letters, digits or hyphens.")
        received_at = parse_moment(row.get("received_at", ""))
        if received_at is None:
            errors["received_at"] = _("Write the time as 2022-07-14 09:31.")
        elif received_at > timezone.now() + datetime.timedelta(minutes=10):
            errors["received_at"] = _("A time that is not in the future.")
        category = self.columns[2].pick(row.get("category", ""), errors, default="")
        if not category and "category" not in errors:
            errors["category"] = _("Required.")
        phone = normalise(row.get("phone", "")).removesuffix(".0")
        keep_phone = "*" in phone  # a masked export imported back keeps the number on file
        entry = None
        try:
            entry = services.clean_input(category or ReportCategory.OTHER, row.get("description", ""),
                                         "" if keep_phone else phone)
        except ValidationError as exc:
            errors.update({k: v for k, v in row_errors_from(exc, "description").errors.items() if k != "category"})
        grid_text = row.get("grid", "")
        grid = context["grids"].get(header_key(grid_text)) if grid_text else None
        if grid_text and grid is None:
            errors["grid"] = _("No grid with this code or name in your area.")
        place = None
        try:
            place = locate(row.get("address", ""), grid=grid)
        except ValidationError:
            errors["address"] = _("This place matches no road segment: give the grid.")
        if errors:
            raise RowError(errors)
        return {"case": case, "received_at": received_at, "entry": entry, "place": place, "keep_phone": keep_phone}

    def existing(self, actor, keys):
        return {r.hotline_case: r for r in PublicReport.objects.filter(hotline_case__in=keys).select_related(
            "order", "grid")}

    def apply(self, actor, cleaned, current):
        entry, place = cleaned["entry"], cleaned["place"]
        if current is None:
            if cleaned["keep_phone"]:
                raise RowError({"phone": _("Give the full number.")})
            services.receive_hotline_case(actor, case=cleaned["case"], entry=entry, place=place,
                                          received_at=cleaned["received_at"])
            return "created"
        if cleaned["keep_phone"]:
            entry.phone = current.phone
        if (current.category, current.description, current.phone, current.address) == (
                entry.category, entry.description, entry.phone, place.address):
            return "unchanged"
        services.update_hotline_case(actor, current, entry, place.address)
        return "updated"

    def export_queryset(self, actor, unmasked=False):
        rows = PublicReport.objects.visible_to(actor).filter(channel=ReportChannel.HOTLINE).select_related("grid")
        return rows if unmasked else rows.defer("phone")

    def export_row(self, obj, unmasked=False):
        return [obj.hotline_case, obj.received_at, obj.get_category_display(), obj.description, obj.address,
                obj.grid.code, obj.phone if unmasked else obj.phone_masked]


RESULT_VERBS = (Verb.SUBMIT, Verb.VERIFY, Verb.REINSPECT)


@register
class HotlineReplyKind(LedgerKind):
    """The reply sheet: one row per hotline case, its result once its order is closed."""

    name = "hotline-replies"
    label = _l("12345 hotline reply sheet")
    model = PublicReport
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_WORKORDERS
    columns = [
        Column("case", _l("Hotline case number"), width=18),
        Column("result", _l("Handling result"), width=48),
        Column("replied_at", _l("Reply time"), width=17),
        Column("satisfaction", _l("Satisfaction"), width=12),
    ]

    def export_queryset(self, actor, unmasked=False):
        steps = WorkOrderEvent.objects.filter(verb__in=RESULT_VERBS).exclude(comment="").order_by("at", "id")
        return (PublicReport.objects.visible_to(actor).filter(channel=ReportChannel.HOTLINE).defer("phone")
                .select_related("order").prefetch_related(Prefetch("order__events", queryset=steps, to_attr="results"))
                .order_by("received_at", "id"))

    def export_row(self, obj, unmasked=False):
        order = obj.order
        if order.state != State.CLOSED:
            return [obj.hotline_case, str(_("Being handled: %(state)s") % {"state": order.get_state_display()}),
                    None, ""]
        results = getattr(order, "results", [])
        result = results[-1].comment if results else str(_("Handled."))
        satisfaction = obj.get_satisfaction_display() or order.get_satisfaction_display()
        return [obj.hotline_case, result, order.closed_at, satisfaction]
