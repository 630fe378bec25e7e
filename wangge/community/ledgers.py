"""Ledger kinds `compounds` and `residents`: the neighbourhood's registers."""


from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy

from wangge.core import crypto
from wangge.core.ids import param_id
from wangge.core.models import User
from wangge.core.roles import Perm, Role
from wangge.core.search import digest_of
from wangge.core.tabular.columns import Column, header_key, parse_day, split_many
from wangge.core.tabular.kinds import LedgerKind, RowError, create_all, register, sync
from wangge.core.tabular.lookups import find_grid, find_person, person_label, person_lookup, visible_grids
from wangge.core.validators import normalise, validate_id_number, validate_phone

from . import services
from .choices import ResidentStatus
from .models import Compound, Resident
from .services.compounds import COMPOUND_FIELDS, save_compound
from .services.duplicates import suggest_duplicates

OUT_OF_SCOPE = object()
# Flags that are not health facts: a masked export shows these only.
PLAIN_FLAGS = ("lives_alone", "low_income")


def flag_choices():
    return [(f, Resident._meta.get_field(f).verbose_name) for f in Resident.FLAGS]


def _count(row: dict, key: str, errors: dict) -> int:
    text = normalise(str(row.get(key, "") or "")).removesuffix(".0")
    if not text:
        return 0
    if not text.isdecimal():
        errors[key] = _("A whole number.")
        return 0
    return int(text)


@register
class CompoundKind(LedgerKind):
    name = "compounds"
    label = _l("Compounds")
    model = Compound
    import_permission = Perm.EDIT_RESIDENTS
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_RESIDENTS
    columns = [
        Column("name", _l("Compound name"), required=True, aliases=("小区", "小区名称"), example="林泉小区", width=20),
        Column("grid", _l("Grid"), required=True, aliases=("网格", "所属网格", "网格编码"), example="310105102022001",
               width=20, help=_l("Grid code or grid name")),
        Column("address", _l("Address"), aliases=("地址",), example="林泉路100弄", width=24),
        Column("buildings", _l("Buildings"), aliases=("楼栋数", "幢数"), example="12"),
        Column("households", _l("Households"), aliases=("户数",), example="480"),
        Column("population", _l("Population"), aliases=("人口", "人数"), example="1200"),
    ]

    def key(self, cleaned):
        return f"{cleaned['grid'].parent_id}|{header_key(cleaned['name'])}"

    def prepare(self, actor, raw_rows):
        return {"grids": visible_grids(actor)}

    def clean(self, actor, row, context):
        errors, cleaned = {}, {"name": normalise(row.get("name", "")), "address": normalise(row.get("address", ""))}
        if not cleaned["name"] or len(cleaned["name"]) > 100:
            errors["name"] = _("A name is required (at most 100 characters).")
        cleaned["grid"] = find_grid(context["grids"], row.get("grid", ""))
        if cleaned["grid"] is None:
            errors["grid"] = _("No grid with this code or name that you manage.")
        for key in ("buildings", "households", "population"):
            cleaned[key] = _count(row, key, errors)
        cleaned["address"] = cleaned["address"][:200]
        if errors:
            raise RowError(errors)
        return cleaned

    def existing(self, actor, keys):
        hoods = {int(k.split("|")[0]) for k in keys if k.split("|")[0].isdecimal()}
        found = {f"{c.neighbourhood_id}|{header_key(c.name)}": c
                 for c in Compound.objects.filter(neighbourhood_id__in=hoods).select_related("grid")}
        visible = set(Compound.objects.visible_to(actor).filter(pk__in=[c.pk for c in found.values()])
                      .values_list("pk", flat=True))
        return {k: (c if c.pk in visible else OUT_OF_SCOPE) for k, c in found.items()}

    def apply(self, actor, cleaned, current):
        if current is OUT_OF_SCOPE:
            raise RowError({"name": _("This compound is registered in a grid you do not manage.")})
        return sync(current, cleaned, COMPOUND_FIELDS, lambda c: save_compound(actor, c, c.version),
                    lambda: save_compound(actor, Compound(**cleaned)))

    def export_queryset(self, actor, unmasked=False):
        return Compound.objects.visible_to(actor).select_related("grid")

    def filter(self, queryset, params, user=None):
        query = normalise(params.get("q", ""))
        queryset = queryset.filter(name__contains=query) if query else queryset
        grid = param_id(params.get("grid"))
        return queryset.filter(grid_id=grid) if grid is not None else queryset

    def export_row(self, obj, unmasked=False):
        return [obj.name, obj.grid.name, obj.address, obj.buildings, obj.households, obj.population]


@register
class ResidentKind(LedgerKind):
    name = "residents"
    label = _l("Residents")
    model = Resident
    import_permission = Perm.EDIT_RESIDENTS
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_RESIDENTS
    masked = {"id_number", "phone"}
    columns = [
        Column("name", pgettext_lazy("person", "Name"), required=True, aliases=("姓名", "name"), example="张伟"),
        Column("id_number", _l("ID number"), required=True, example="31010519500101001X", width=22,
               aliases=("身份证", "身份证号码", "公民身份号码", "证件号码")),
        Column("phone", _l("Phone"), aliases=("电话", "手机", "手机号", "联系电话"), example="13912345678", width=14),
        Column("grid", _l("Grid"), required=True, aliases=("网格", "所属网格", "网格编码"), example="310105102022001",
               width=20, help=_l("Grid code or grid name")),
        Column("address", _l("Address"), aliases=("地址", "住址", "居住地址"), example="林泉路100弄5号301室", width=28),
        Column("family_doctor", _l("Family doctor"), aliases=("家庭医生", "签约医生"), example="doctor",
               help=_l("The doctor's username")),
        Column("status", _l("Status"), aliases=("状态",), choices=lambda: ResidentStatus.choices, example="在住"),
        Column("compound", _l("Compound"), aliases=("小区", "所在小区"), example="林泉小区", width=18,
               help=_l("A compound of the resident's grid")),
        Column("building", _l("Building"), aliases=("楼栋", "楼号", "幢"), example="5号"),
        Column("room", _l("Room"), aliases=("室", "房号", "门牌"), example="301"),
        Column("household", _l("Household"), aliases=("户号", "户"), example="LQ-0501-301"),
        Column("flags", _l("Special groups"), aliases=("特殊人群", "人员类别", "标记"), many=True,
               choices=flag_choices, example="独居", width=20),
        Column("doctor_signed_on", _l("Contract signed"), aliases=("签约日期", "家庭医生签约日期"),
               example="2022-03-01"),
    ]

    export_only = [Column("sex", _l("Sex")), Column("birth_date", _l("Birth date"))]

    def key(self, cleaned):
        return crypto.keyed_hash(cleaned["id_number"])

    def prepare(self, actor, raw_rows):
        doctors = person_lookup(User.objects.filter(role_assignments__role=Role.FAMILY_DOCTOR))
        compounds = {(c.grid_id, header_key(c.name)): c for c in Compound.objects.visible_to(actor)}
        return {"grids": visible_grids(actor), "doctors": doctors, "compounds": compounds}

    def clean(self, actor, row, context):
        errors, cleaned = {}, {"name": row.get("name", "").strip(), "address": row.get("address", "").strip()[:200]}
        if not cleaned["name"] or len(cleaned["name"]) > 50:
            errors["name"] = _("A name is required (at most 50 characters).")
        for key, validate in (("id_number", validate_id_number), ("phone", validate_phone)):
            value = row.get(key, "")
            try:
                cleaned[key] = validate(value) if value else ""
            except ValidationError as exc:
                errors[key] = " ".join(exc.messages)
        if not cleaned.get("id_number") and "id_number" not in errors:
            errors["id_number"] = _("Required.")
        cleaned["grid"] = find_grid(context["grids"], row.get("grid", ""))
        if cleaned["grid"] is None:
            errors["grid"] = _("No grid with this code or name that you manage.")
        doctor = normalise(row.get("family_doctor", ""))
        cleaned["family_doctor"] = find_person(context["doctors"], doctor) if doctor else None
        if doctor and cleaned["family_doctor"] is None:
            errors["family_doctor"] = _("No family doctor with this username.")
        cleaned["status"] = self.columns[6].pick(row.get("status", ""), errors, ResidentStatus.LIVING)
        self._clean_place(row, context, cleaned, errors)
        if errors:
            raise RowError(errors)
        cleaned["columns"] = frozenset(row)  # what the file holds: a column it lacks changes nothing
        return cleaned

    def _clean_place(self, row, context, cleaned, errors):
        compound = normalise(row.get("compound", ""))
        cleaned["compound"] = None
        if compound and cleaned["grid"] is not None:
            cleaned["compound"] = context["compounds"].get((cleaned["grid"].pk, header_key(compound)))
            if cleaned["compound"] is None:
                errors["compound"] = _("No compound of this name in the resident's grid.")
        for key, width in (("building", 20), ("room", 20), ("household", 30)):
            cleaned[key] = normalise(row.get(key, ""))[:width]
        flags = self.columns[11]
        chosen = {flags.pick(part, errors) for part in split_many(row.get("flags", ""))}
        for flag in Resident.FLAGS:
            cleaned[flag] = flag in chosen
        signed = normalise(row.get("doctor_signed_on", ""))
        cleaned["doctor_signed_on"] = parse_day(signed) if signed else None
        if signed and cleaned["doctor_signed_on"] is None:
            errors["doctor_signed_on"] = _("Enter a date such as 2022-07-10.")
        elif signed and not cleaned["family_doctor"]:
            errors["doctor_signed_on"] = _("A contract date needs a family doctor.")

    def existing(self, actor, keys):
        found = {}
        for start in range(0, len(keys), 1000):
            chunk = keys[start:start + 1000]
            for r in Resident.objects.filter(id_number_hash__in=chunk).select_related("grid").defer("id_number"):
                found[r.id_number_hash] = r
        visible = set(Resident.objects.visible_to(actor).filter(
            pk__in=[r.pk for r in found.values()]).values_list("pk", flat=True))
        # Someone registered elsewhere is a duplicate to report, never a row to show or change.
        return {k: (r if r.pk in visible else OUT_OF_SCOPE) for k, r in found.items()}

    bulk_create = True

    def create_many(self, actor, rows):
        managed = services.managed_grid_ids(actor)
        return create_all(rows, lambda cleaned: services.build_resident(
                              managed, **{k: v for k, v in cleaned.items() if k != "columns"}),
                          lambda built: services.register_residents(actor, built), "id_number")

    def apply(self, actor, cleaned, current):
        if current is OUT_OF_SCOPE:
            raise RowError({"id_number": _("This person is already registered in a grid you do not manage.")})
        # Only what the file has a column for: an older template's file must not blank the newer fields.
        fields = [f for f in ("name", "phone", "grid", "address", "family_doctor", "status", "compound", "building",
                              "room", "household", "doctor_signed_on") if f in cleaned["columns"]]
        if "flags" in cleaned["columns"]:
            fields += Resident.FLAGS
        if all(getattr(current, f) == cleaned[f] for f in fields):
            return "unchanged"
        services.update_resident(actor, current, current.version, **{f: cleaned[f] for f in fields})
        return "updated"

    def after_import(self, actor, rows):
        suggest_duplicates({r["compound"].pk for r in rows if r.get("compound")})

    def export_queryset(self, actor, unmasked=False):
        residents = Resident.objects.visible_to(actor).filter(merged_into__isnull=True).select_related(
            "grid", "family_doctor", "compound")
        return residents if unmasked else residents.defer("id_number", "phone")

    def filter(self, queryset, params, user=None):
        queryset = queryset.filter(merged_into__isnull=True)
        query = normalise(params.get("q", ""))
        digest = digest_of(params)
        if digest:
            # A full ID or phone number is looked up by its keyed hash, never by plaintext (core/search.py).
            queryset = queryset.filter(Q(id_number_hash=digest) | Q(phone_hash=digest))
        elif query:
            queryset = queryset.filter(name__contains=query)
        for field, param in (("grid_id", "grid"), ("compound_id", "compound")):
            if (value := param_id(params.get(param))) is not None:
                queryset = queryset.filter(**{field: value})
        flag = str(params.get("flag", "") or "")
        if flag not in PLAIN_FLAGS and not (user is not None and user.can(Perm.REVEAL_PERSONAL)):
            return queryset  # a health fact is no filter for who may not see it (page, API and export alike)
        return queryset.filter(**{flag: True}) if flag in Resident.FLAGS else queryset

    def export_row(self, obj, unmasked=False):
        # Health flags leave only in a full export by a role that may reveal (COMMUNITY.md).
        shown = Resident.FLAGS if unmasked else PLAIN_FLAGS
        flags = "、".join(str(Resident._meta.get_field(f).verbose_name) for f in shown if getattr(obj, f))
        return [
            obj.name, obj.id_number if unmasked else obj.id_number_masked,
            obj.phone if unmasked else obj.phone_masked, obj.grid.name, obj.address,
            person_label(obj.family_doctor), obj.get_status_display(),
            obj.compound.name if obj.compound else "", obj.building, obj.room, obj.household, flags,
            obj.doctor_signed_on or "", obj.get_sex_display(),
            obj.birth_date if unmasked else crypto.mask_birth_date(obj.birth_date),
        ]


from . import ledgers_care, ledgers_screening  # noqa: E402,F401  (register the lists' kinds)
