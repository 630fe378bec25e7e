"""Ledger kind `residents`: the neighbourhood's register of residents."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.core import crypto
from wangge.core.models import Area, AreaLevel, User
from wangge.core.roles import Perm, Role
from wangge.core.tabular.columns import Column, header_key
from wangge.core.tabular.kinds import LedgerKind, RowError, create_all, register
from wangge.core.validators import normalise, validate_id_number, validate_phone

from . import services
from .choices import ResidentStatus
from .models import Resident

OUT_OF_SCOPE = object()


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
        Column("name", _l("Name"), required=True, aliases=("姓名", "name"), example="张伟"),
        Column("id_number", _l("ID number"), required=True, example="310105195203040113", width=22,
               aliases=("身份证", "身份证号码", "公民身份号码", "证件号码")),
        Column("phone", _l("Phone"), aliases=("电话", "手机", "手机号", "联系电话"), example="13912345678", width=14),
        Column("grid", _l("Grid"), required=True, aliases=("网格", "所属网格", "网格编码"), example="310105102022001",
               width=20, help=_l("Grid code or grid name")),
        Column("address", _l("Address"), aliases=("地址", "住址", "居住地址"), example="林泉路100弄5号301室", width=28),
        Column("family_doctor", _l("Family doctor"), aliases=("家庭医生", "签约医生"), example="doctor",
               help=_l("The doctor's username")),
        Column("status", _l("Status"), aliases=("状态",), choices=lambda: ResidentStatus.choices, example="在住"),
    ]

    export_only = [Column("sex", _l("Sex")), Column("birth_date", _l("Birth date"))]

    def key(self, cleaned):
        return crypto.keyed_hash(cleaned["id_number"])

    def prepare(self, actor, raw_rows):
        grids = {}
        for grid in Area.objects.visible_to(actor).filter(level=AreaLevel.GRID):
            grids[grid.code] = grids[header_key(grid.name)] = grid
        doctors = {u.username.lower(): u for u in User.objects.filter(role_assignments__role=Role.FAMILY_DOCTOR)}
        return {"grids": grids, "doctors": doctors}

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
        grid_text = normalise(row.get("grid", ""))
        cleaned["grid"] = context["grids"].get(grid_text) or context["grids"].get(header_key(grid_text))
        if cleaned["grid"] is None:
            errors["grid"] = _("No grid with this code or name that you manage.")
        doctor = normalise(row.get("family_doctor", "")).lower()
        cleaned["family_doctor"] = context["doctors"].get(doctor) if doctor else None
        if doctor and cleaned["family_doctor"] is None:
            errors["family_doctor"] = _("No family doctor with this username.")
        cleaned["status"] = self.columns[6].pick(row.get("status", ""), errors, ResidentStatus.LIVING)
        if errors:
            raise RowError(errors)
        return cleaned

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
        return create_all(rows, lambda cleaned: services.build_resident(managed, **cleaned),
                          lambda built: services.register_residents(actor, built), "id_number")

    def apply(self, actor, cleaned, current):
        if current is OUT_OF_SCOPE:
            raise RowError({"id_number": _("This person is already registered in a grid you do not manage.")})
        fields = ("name", "phone", "grid", "address", "family_doctor", "status")
        if all(getattr(current, f) == cleaned[f] for f in fields):
            return "unchanged"
        services.update_resident(actor, current, current.version, **{f: cleaned[f] for f in fields})
        return "updated"

    def export_queryset(self, actor, unmasked=False):
        residents = Resident.objects.visible_to(actor).select_related("grid", "family_doctor")
        return residents if unmasked else residents.defer("id_number", "phone")

    def filter(self, queryset, params):
        query = normalise(params.get("q", ""))
        if query and len(query) >= 11 and query[:-1].isdigit():
            # A full ID or phone number is looked up by its keyed hash, never by plaintext.
            digest = crypto.keyed_hash(query)
            queryset = queryset.filter(Q(id_number_hash=digest) | Q(phone_hash=digest))
        elif query:
            queryset = queryset.filter(name__contains=query)
        grid = str(params.get("grid", "") or "")
        return queryset.filter(grid_id=int(grid)) if grid.isdigit() else queryset

    def export_row(self, obj, unmasked=False):
        return [
            obj.name, obj.id_number if unmasked else obj.id_number_masked,
            obj.phone if unmasked else obj.phone_masked, obj.grid.code, obj.address,
            obj.family_doctor.username if obj.family_doctor else "", obj.get_status_display(),
            obj.get_sex_display(), obj.birth_date,
        ]
