"""Ledger kinds `screening-results` (import from a sampling system's export) and `supplies` (the
supplies ledger, export only)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy

from wangge.core import crypto
from wangge.core.roles import Perm
from wangge.core.tabular.columns import Column
from wangge.core.tabular.kinds import LedgerKind, RowError, register
from wangge.core.validators import normalise, validate_id_number

from .choices import ScreeningStatus
from .models import ScreeningResult, SupplyMovement
from .services import screening

MOMENT = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]*(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_moment(text: str) -> datetime.datetime | None:
    match = MOMENT.match(normalise(text or ""))
    if not match:
        return None
    parts = [int(g) if g else 0 for g in match.groups()]
    try:
        return timezone.make_aware(datetime.datetime(*parts))  # noqa: DTZ001  (local time, made aware)
    except ValueError:
        return None


@register
class ScreeningResultKind(LedgerKind):
    """Each row: a person sampled at a time. The row marks them tested in the round held that day whose
    roster has them (in the importer's area). Importing the same file twice changes nothing."""

    name = "screening-results"
    label = _l("Screening results")
    model = ScreeningResult
    import_permission = Perm.EDIT_RESIDENTS
    view_permission = Perm.VIEW_RESIDENTS
    masked = {"id_number"}
    columns = [
        Column("id_number", _l("ID number"), required=True, example="310105195203040113", width=22,
               aliases=("身份证", "身份证号码", "公民身份号码", "证件号码", "证件号")),
        Column("sampled_at", _l("Sampled at"), required=True, example="2022-04-02 09:15", width=18,
               aliases=("采样时间", "采集时间", "采样日期")),
    ]

    def key(self, cleaned):
        return f"{cleaned['hash']}|{cleaned['sampled_at'].date().isoformat()}"

    def clean(self, actor, row, context):
        errors, cleaned = {}, {}
        try:
            cleaned["hash"] = crypto.keyed_hash(validate_id_number(row.get("id_number", "")))
        except ValidationError as exc:
            errors["id_number"] = " ".join(exc.messages)
        cleaned["sampled_at"] = parse_moment(row.get("sampled_at", ""))
        if cleaned["sampled_at"] is None:
            errors["sampled_at"] = _("Enter a time such as 2022-04-02 09:15.")
        if errors:
            raise RowError(errors)
        return cleaned

    def existing(self, actor, keys):
        hashes = {k.split("|")[0] for k in keys}
        days = {datetime.date.fromisoformat(k.split("|")[1]) for k in keys}
        found = {}
        rows = ScreeningResult.objects.visible_to(actor).filter(
            resident__id_number_hash__in=hashes, round__date__in=days).select_related("round", "resident").defer(
            "resident__id_number", "resident__phone")
        for result in rows:
            found[f"{result.resident.id_number_hash}|{result.round.date.isoformat()}"] = result
        return found

    def apply(self, actor, cleaned, current):
        if current is None:
            raise RowError({"id_number": _("No screening round on that day has this person on its roster in "
                                           "your area.")})
        if current.status == ScreeningStatus.TESTED:
            return "unchanged"
        screening.record_result(actor, current, status=ScreeningStatus.TESTED, tested_at=cleaned["sampled_at"],
                                expected_version=current.version)
        return "updated"


@register
class SupplyLedgerKind(LedgerKind):
    name = "supplies"
    label = _l("Supplies ledger")
    model = SupplyMovement
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_RESIDENTS
    columns = [
        Column("on", _l("Date")), Column("site", pgettext_lazy("supplies", "Site")),
        Column("item", pgettext_lazy("supplies", "Item")), Column("kind", _l("Kind")),
        Column("quantity", _l("Quantity")), Column("unit", _l("Unit")), Column("balance", _l("Balance after")),
        Column("counterparty", _l("From / to")), Column("household", _l("Household")), Column("note", _l("Note")),
        Column("recorded_by", _l("Recorded by")),
    ]

    def export_queryset(self, actor, unmasked=False):
        return SupplyMovement.objects.visible_to(actor).select_related("stock__site", "stock__item", "recorded_by")

    def export_row(self, obj, unmasked=False):
        sign = 1 if obj.kind == "receipt" else -1
        return [obj.on, obj.stock.site.name, obj.stock.item.name, obj.get_kind_display(), sign * obj.quantity,
                obj.stock.item.unit, obj.balance, obj.counterparty, obj.household, obj.note,
                str(obj.recorded_by or "")]
