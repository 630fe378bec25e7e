"""Ledger kind `enterprises`: import, export and template, keyed by the unified social credit code."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.core.models import Area
from wangge.core.roles import Perm
from wangge.core.tabular.columns import Column, header_key
from wangge.core.tabular.heading import FilterWord
from wangge.core.tabular.kinds import LedgerKind, RowError, register
from wangge.core.tabular.lookups import find_grid, grid_lookup
from wangge.core.validators import normalise, validate_credit_code, validate_phone

from . import services
from .choices import EnterpriseStatus, Industry, Size
from .filters import filter_enterprises, filter_visits
from .models import Enterprise, EnterpriseVisit, Park

OUT_OF_SCOPE = object()
MASKED = re.compile(r"^\d{3}\*{4}\d{4}$|^\*+$")
COMPARED = ("name", "industry", "size", "address", "grid", "park", "contact_name", "employees", "status", "notes")


@register
class EnterpriseKind(LedgerKind):
    name = "enterprises"
    label = _l("Enterprises")
    model = Enterprise
    import_permission = Perm.EDIT_ENTERPRISES
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_ENTERPRISES
    masked = {"contact_phone"}
    columns = [
        Column("name", _l("Enterprise name"), required=True, aliases=("企业名称", "名称", "企业"),
               example="上海某某科技有限公司", width=28),
        Column("credit_code", _l("Credit code"), required=True, aliases=("统一社会信用代码", "信用代码"), width=22,
               example="91310105MA1FL0XXXX"),
        Column("industry", _l("Industry"), aliases=("行业", "所属行业"), choices=lambda: Industry.choices,
               example="信息技术"),
        Column("size", _l("Size"), aliases=("规模", "企业规模"), choices=lambda: Size.choices, example="小型"),
        Column("address", _l("Address"), required=True, aliases=("地址", "经营地址"), example="金钟路999号", width=28),
        Column("grid", _l("Grid"), required=True, aliases=("网格", "所属网格", "网格编码"), example="310105102030001"),
        Column("park", _l("Park"), aliases=("园区", "所属园区"), example="西郊国际金融产业园"),
        Column("contact_name", _l("Contact"), aliases=("联系人",)),
        Column("contact_phone", _l("Contact phone"), aliases=("联系电话", "电话", "手机")),
        Column("employees", _l("Employees"), aliases=("员工数", "从业人数", "职工人数"), example="30"),
        Column("status", _l("Status"), aliases=("状态", "经营状态"), choices=lambda: EnterpriseStatus.choices,
               example="正常经营"),
        Column("notes", _l("Notes"), aliases=("备注",)),
    ]

    def key(self, cleaned):
        return cleaned["credit_code"]

    def prepare(self, actor, raw_rows):
        grids, parks = grid_lookup(Area.objects.choosable_by(actor)), {}
        for park in Park.objects.visible_to(actor):
            parks[header_key(park.name)] = park
        return {"grids": grids, "parks": parks}

    def clean(self, actor, row, context):
        errors, cleaned = {}, {}
        cleaned["name"] = normalise(row.get("name", ""))
        if not cleaned["name"] or len(cleaned["name"]) > 100:
            errors["name"] = _("A name is required (at most 100 characters).")
        try:
            cleaned["credit_code"] = validate_credit_code(row.get("credit_code", ""))
        except ValidationError as exc:
            errors["credit_code"] = " ".join(exc.messages)
        cleaned["industry"] = self.columns[2].pick(row.get("industry", ""), errors, Industry.OTHER)
        cleaned["size"] = self.columns[3].pick(row.get("size", ""), errors, Size.SMALL)
        cleaned["address"] = normalise(row.get("address", ""))
        if not cleaned["address"] or len(cleaned["address"]) > 200:
            errors["address"] = _("An address is required (at most 200 characters).")
        cleaned["grid"] = find_grid(context["grids"], row.get("grid", ""))
        if cleaned["grid"] is None:
            errors["grid"] = _("No grid with this code or name that you manage.")
        park_text = normalise(row.get("park", ""))
        cleaned["park"] = context["parks"].get(header_key(park_text)) if park_text else None
        if park_text and cleaned["park"] is None:
            errors["park"] = _("No park with this name that you can see.")
        cleaned["contact_name"] = normalise(row.get("contact_name", ""))[:50]
        phone = normalise(row.get("contact_phone", ""))
        # A masked number (from a masked export) means "keep the stored one"; apply() checks it matches.
        cleaned["masked_phone"] = phone if MASKED.match(phone) else ""
        try:
            cleaned["contact_phone"] = validate_phone(phone) if phone and not cleaned["masked_phone"] else ""
        except ValidationError as exc:
            errors["contact_phone"] = " ".join(exc.messages)
        employees = normalise(row.get("employees", ""))
        cleaned["employees"] = int(employees) if employees.isdecimal() else None
        if employees and not employees.isdecimal():
            errors["employees"] = _("A whole number.")
        cleaned["status"] = self.columns[10].pick(row.get("status", ""), errors, EnterpriseStatus.ACTIVE)
        cleaned["notes"] = row.get("notes", "").strip()
        if errors:
            raise RowError(errors)
        return cleaned

    def existing(self, actor, keys):
        found = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=keys)}
        visible = set(Enterprise.objects.visible_to(actor).filter(pk__in=[e.pk for e in found.values()])
                      .values_list("pk", flat=True))
        return {k: (e if e.pk in visible else OUT_OF_SCOPE) for k, e in found.items()}

    def apply(self, actor, cleaned, current):
        if current is OUT_OF_SCOPE:
            raise RowError({"credit_code": _("This enterprise is already registered in a grid you do not manage.")})
        masked = cleaned["masked_phone"]
        if masked and (current is None or masked != current.contact_phone_masked):
            raise RowError({"contact_phone": _("A masked number can only stand for the number already stored.")})
        if current is None:
            services.save_enterprise(actor, Enterprise(**{k: v for k, v in cleaned.items() if k != "masked_phone"}))
            return "created"
        same_phone = not cleaned["contact_phone"] or current.contact_phone == cleaned["contact_phone"]
        if same_phone and all(getattr(current, f) == cleaned[f] for f in COMPARED):
            return "unchanged"
        for name in COMPARED:
            setattr(current, name, cleaned[name])
        if cleaned["contact_phone"]:
            current.contact_phone = cleaned["contact_phone"]
        services.save_enterprise(actor, current, current.version)
        return "updated"

    def export_queryset(self, actor, unmasked=False):
        rows = Enterprise.objects.visible_to(actor).select_related("grid", "park")
        return rows if unmasked else rows.defer("contact_phone")

    def filter(self, queryset, params, user=None):
        return filter_enterprises(queryset, params)

    def export_row(self, obj, unmasked=False):
        return [obj.name, obj.credit_code, obj.get_industry_display(), obj.get_size_display(), obj.address,
                obj.grid.name, obj.park.name if obj.park else "", obj.contact_name,
                obj.contact_phone if unmasked else obj.contact_phone_masked, obj.employees, obj.get_status_display(),
                obj.notes]


@register
class EnterpriseVisitKind(LedgerKind):
    """The enterprise-visit list (export and print); each visit's demands are work orders, exported
    from the work-order list filtered to enterprise demands."""

    name = "enterprise-visits"
    label = _l("Enterprise visits")
    model = EnterpriseVisit
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_ENTERPRISES
    list_url = "economy:visit_list"
    filter_words = [FilterWord("q", _l("Search"))]
    columns = [Column("visited_on", _l("Date"), width=12), Column("enterprise", _l("Enterprise"), width=28),
               Column("grid", _l("Grid"), width=16), Column("visitors", _l("Visitors"), width=18),
               Column("operating_status", _l("Operating status"), width=12), Column("impact", _l("Impact"), width=10),
               Column("staff_back", _l("Staff back at work (%)"), width=10),
               Column("problems", _l("Problems"), width=40), Column("recorded_by", _l("Recorded by"), width=10)]

    def export_queryset(self, actor, unmasked=False):
        return EnterpriseVisit.objects.visible_to(actor).select_related("enterprise__grid", "recorded_by")

    def filter(self, queryset, params, user=None):
        return filter_visits(queryset, params)

    def export_row(self, obj, unmasked=False):
        return [obj.visited_on, obj.enterprise.name, obj.enterprise.grid.name, obj.visitors,
                obj.get_operating_status_display(), obj.get_impact_display(), obj.staff_back_percent,
                obj.problems, str(obj.recorded_by or "")]
