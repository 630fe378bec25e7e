"""Ledger kind `venue-scans`: daily scan counts per venue code, from the venue-code system's export.
All-or-nothing like every import; importing the same file again changes nothing. After a
successful import the scans are linked to premises by code number and compliance is reassessed."""


from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.core.roles import Perm
from wangge.core.tabular.columns import Column, parse_day
from wangge.core.tabular.kinds import LedgerKind, RowError, register

from . import scans
from .models import VenueScan


@register
class VenueScanKind(LedgerKind):
    name = "venue-scans"
    label = _l("Venue-code scans")
    model = VenueScan
    import_permission = Perm.MANAGE_CAMPAIGNS
    export_permission = None
    columns = [
        Column("code_number", _l("Venue code number"), required=True, aliases=("场所码编号", "场所码", "编码"),
               example="CSM00012345", width=18),
        Column("date", _l("Date"), required=True, aliases=("日期", "统计日期"), example="2022-07-10"),
        Column("scans", _l("Scans"), required=True, aliases=("扫码次数", "扫码量", "次数"), example="135"),
    ]

    def key(self, cleaned):
        return f"{cleaned['code_number']}|{cleaned['date'].isoformat()}"

    def clean(self, actor, row, context):
        errors = {}
        code = (row.get("code_number") or "").strip().upper()
        if not code or len(code) > 50:
            errors["code_number"] = _("Give the venue code number (at most 50 characters).")
        day = parse_day(row.get("date", ""))
        if day is None:
            errors["date"] = _("Enter a date such as 2022-07-10.")
        raw = (row.get("scans") or "").strip().removesuffix(".0")
        if not raw.isdecimal() or int(raw) > 10**7:
            errors["scans"] = _("Enter a whole number of scans, 0 or more.")
        if errors:
            raise RowError(errors)
        return {"code_number": code, "date": day, "scans": int(raw)}

    def existing(self, actor, keys):
        codes = {k.split("|", 1)[0] for k in keys}
        return {f"{s.code_number}|{s.date.isoformat()}": s for s in VenueScan.objects.filter(code_number__in=codes)}

    def apply(self, actor, cleaned, current):
        if current is None:
            VenueScan.objects.create(**cleaned)
            return "created"
        if current.scans == cleaned["scans"]:
            return "unchanged"
        current.scans = cleaned["scans"]
        current.save(update_fields=["scans"])
        return "updated"

    bulk_create = True

    def create_many(self, actor, rows):
        VenueScan.objects.bulk_create([VenueScan(**r) for r in rows], batch_size=2000)
        return {}

    def after_import(self, actor, rows):
        scans.link_premises({r["code_number"] for r in rows})
        scans.assess()
