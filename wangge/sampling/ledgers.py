"""Ledger kind `sampling-throughput`: samples, staff and volunteers per site, day and shift."""


from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy

from wangge.core.roles import Perm
from wangge.core.tabular.columns import Column, header_key, parse_day
from wangge.core.tabular.kinds import LedgerKind, RowError, register
from wangge.core.validators import normalise

from . import services
from .choices import ShiftName
from .models import SamplingSite, SiteShift

FIGURES = ("samples", "staff_count", "volunteer_count")


@register
class ThroughputKind(LedgerKind):
    name = "sampling-throughput"
    label = _l("Sampling throughput")
    model = SiteShift
    import_permission = Perm.REPORT_SAMPLING
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_SAMPLING
    columns = [
        Column("site", _l("Sampling site"), required=True, aliases=("采样点", "采样点名称", "采样点编码", "site code"),
               example="虹康休闲绿地", width=24, help=_l("The site's name or code")),
        Column("date", _l("Date"), required=True, aliases=("日期", "采样日期"), example="2022-07-14"),
        Column("shift", pgettext_lazy("sampling", "Shift"), required=True, aliases=("班次", "时段"),
               choices=lambda: ShiftName.choices, example="上午班"),
        Column("samples", _l("Samples taken"), required=True, aliases=("采样人数", "采样量", "采样数"), example="420"),
        Column("staff_count", pgettext_lazy("sampling", "Staff"), aliases=("工作人员", "医务人员", "工作人员数"),
               example="4"),
        Column("volunteer_count", _l("Volunteers"), aliases=("志愿者", "志愿者数"), example="6"),
    ]

    def key(self, cleaned):
        return f"{cleaned['site'].pk}|{cleaned['date'].isoformat()}|{cleaned['shift']}"

    def prepare(self, actor, raw_rows):
        sites = {}
        for site in SamplingSite.objects.visible_to(actor).only("code", "name"):
            sites[header_key(site.code)] = sites[header_key(site.name)] = site
        return {"sites": sites}

    def clean(self, actor, row, context):
        from django.utils import timezone

        errors, cleaned = {}, {}
        cleaned["site"] = context["sites"].get(header_key(row.get("site", "")))
        if cleaned["site"] is None:
            errors["site"] = _("No sampling site with this name or code in your area.")
        cleaned["date"] = parse_day(row.get("date", ""))
        if cleaned["date"] is None:
            errors["date"] = _("Write the date as 2022-07-14.")
        elif cleaned["date"] > timezone.localdate():
            errors["date"] = _("A date that is not in the future.")
        cleaned["shift"] = self.columns[2].pick(row.get("shift", ""), errors)
        if not cleaned["shift"] and "shift" not in errors:
            errors["shift"] = _("Unknown shift.")
        for key in FIGURES:
            text = normalise(row.get(key, "")).removesuffix(".0")
            if not text and key != "samples":
                cleaned[key] = 0
            elif text.isdecimal() and int(text) <= services.MAX_COUNT:
                cleaned[key] = int(text)
            else:
                errors[key] = _("A whole number from 0 to 100000.")
        if errors:
            raise RowError(errors)
        return cleaned

    def existing(self, actor, keys):
        site_ids = {int(k.split("|")[0]) for k in keys}
        dates = {k.split("|")[1] for k in keys}
        rows = SiteShift.objects.filter(site_id__in=site_ids, date__in=dates)
        return {f"{r.site_id}|{r.date.isoformat()}|{r.shift}": r for r in rows}

    def apply(self, actor, cleaned, current):
        _row, result = services.record_shift(actor, cleaned["site"], cleaned["date"], cleaned["shift"],
                                             **{k: cleaned[k] for k in FIGURES})
        return result

    def export_queryset(self, actor, unmasked=False):
        return SiteShift.objects.visible_to(actor).select_related("site").order_by("-date", "site__name", "shift")

    def filter(self, queryset, params, user=None):
        site = params.get("site")
        return queryset.filter(site_id=site) if site and str(site).isdecimal() else queryset

    def export_row(self, obj, unmasked=False):
        return [obj.site.name, obj.date.isoformat(), obj.get_shift_display(), obj.samples, obj.staff_count,
                obj.volunteer_count]
