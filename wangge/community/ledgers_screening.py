"""Ledger kinds `screening-results` (import from a sampling system's export; export and print of a
round's results), `door-knocking` (a round's list, export and print) and `supplies` (the supplies
ledger, export only)."""

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
from wangge.core.tabular.heading import FilterWord
from wangge.core.tabular.kinds import LedgerKind, RowError, register
from wangge.core.validators import normalise, validate_id_number

from .choices import ScreeningStatus
from .models import Compound, ScreeningResult, ScreeningRound, SupplyMovement
from .services import screening


def _id(params, key) -> int | None:
    value = str(params.get(key, "") or "")
    return int(value) if value.isdecimal() and len(value) < 12 else None


def round_results(queryset, params):
    """One round's results (?round=, required), narrowed by ?status= and ?compound= as its pages do."""
    queryset = queryset.filter(round_id=_id(params, "round")) if _id(params, "round") else queryset.none()
    if params.get("status") in ScreeningStatus.values:
        queryset = queryset.filter(status=params["status"])
    if _id(params, "compound"):
        queryset = queryset.filter(compound_id=_id(params, "compound"))
    return queryset


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
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_RESIDENTS
    masked = {"id_number"}
    needs = ("round",)
    list_url = "community:round_list"
    filter_words = [FilterWord("round", _l("Screening round"), model=ScreeningRound),
                    FilterWord("status", _l("Result"), ScreeningStatus.choices),
                    FilterWord("compound", _l("Compound"), model=Compound)]
    columns = [
        Column("id_number", _l("ID number"), required=True, example="31010519500101001X", width=22,
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

    # The round's results, person by person (the round page's export and print).
    export_only = [Column("name", _l("Name"), width=10), Column("compound", _l("Compound"), width=16),
                   Column("building", _l("Building"), width=8), Column("room", _l("Room"), width=8),
                   Column("status", _l("Result"), width=10), Column("grid", _l("Grid"), width=16)]

    def export_queryset(self, actor, unmasked=False):
        rows = ScreeningResult.objects.visible_to(actor).select_related("resident", "compound", "compound__grid")
        return rows if unmasked else rows.defer("resident__id_number", "resident__phone")

    def filter(self, queryset, params, user=None):
        return round_results(queryset, params).order_by("compound__name", "building", "resident__room", "pk")

    def export_row(self, obj, unmasked=False):
        person = obj.resident
        id_number = "" if person is None else person.id_number if unmasked else person.id_number_masked
        return [id_number, obj.tested_at, person.name if person else _("(anonymised)"), obj.compound.name,
                obj.building, person.room if person else "", obj.get_status_display(), obj.compound.grid.name]

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


@register
class DoorKnockingKind(LedgerKind):
    """A round's door-knocking list: who is not yet tested, by compound, building and room."""

    name = "door-knocking"
    label = _l("Door-knocking list")
    model = ScreeningResult
    # Printed by the grid worker who knocks (names and rooms only, as the page shows them).
    export_permission = Perm.VIEW_RESIDENTS
    view_permission = Perm.VIEW_RESIDENTS
    needs = ("round",)
    list_url = "community:round_list"
    filter_words = [FilterWord("round", _l("Screening round"), model=ScreeningRound),
                    FilterWord("compound", _l("Compound"), model=Compound)]
    columns = [Column("compound", _l("Compound"), width=16), Column("building", _l("Building"), width=8),
               Column("room", _l("Room"), width=8), Column("name", _l("Name"), width=10),
               Column("age", _l("Age"), width=6), Column("grid", _l("Grid"), width=16),
               Column("result", _l("Result"), width=24, help=_l("Filled in at the door"))]

    def rows(self, actor, params, unmasked=False):
        """The page's own list (screening.not_yet) of a round the user sees."""
        round_id = _id(params, "round")
        found = ScreeningRound.objects.visible_to(actor).filter(pk=round_id).first() if round_id else None
        if found is None:
            return iter(())
        return screening.not_yet(found, actor, _id(params, "compound")).select_related("compound__grid").iterator(
            chunk_size=2000)

    def export_row(self, obj, unmasked=False):
        person = obj.resident
        return [obj.compound.name, obj.building, person.room if person else "",
                person.name if person else _("(anonymised)"), person.age if person else "",
                obj.compound.grid.name, ""]
