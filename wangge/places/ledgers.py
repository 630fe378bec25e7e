"""Ledger kinds `premises` and `road-segments`."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.core.any_of import batch_size
from wangge.core.coords import LABELS, System, parse_system, stored_point
from wangge.core.crypto import keyed_hash
from wangge.core.models import User
from wangge.core.roles import Perm, Role
from wangge.core.tabular.columns import Column, header_key
from wangge.core.tabular.kinds import LedgerKind, RowError, create_all, field_errors, register, sync
from wangge.core.tabular.lookups import find_grid, find_person, person_label, person_lookup, visible_grids
from wangge.core.validators import normalise, validate_credit_code, validate_phone

from . import services
from .choices import PremisesStatus, Side, VenueCodeStatus
from .filters import filter_premises, filter_segments
from .models import Premises, PremisesCategory, RoadSegment, address_key

YES_NO = [("1", _l("yes")), ("0", _l("no"))]
# Columns whose model field has validators (length, range, digits): run per column on import, so
# build_premises need not run clean_fields on every row.
CHECKED_FIELDS = ("name", "address", "credit_code", "licence_number", "operator", "contact_name", "venue_code_number",
                  "staff_count", "latitude", "longitude", "notes", "opens_at", "closes_at")
OUT_OF_SCOPE = object()


TIME = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")


def parse_time(text: str) -> datetime.time | None:
    text = normalise(text).replace("：", ":")
    if not text:
        return None
    match = TIME.match(text)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return datetime.time(int(match[1]), int(match[2]), int(match[3] or 0))
    for fmt in ("%H:%M", "%H:%M:%S", "%H.%M", "%H%M"):
        try:
            return datetime.datetime.strptime(text, fmt).time()  # noqa: DTZ007  (a time of day, no zone)
        except ValueError:
            continue
    raise ValueError(text)


def _hhmm(value: datetime.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


@register
class PremisesKind(LedgerKind):
    name = "premises"
    label = _l("Premises")
    model = Premises
    import_permission = Perm.EDIT_PREMISES
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_PREMISES
    masked = {"contact_phone"}
    bulk_create = True
    streams = True  # each row stands alone: a file of any length goes in chunks
    remembers = True  # a row imported before is recognised by its digest, not cleaned again (digests.py)
    # Bump when clean() would turn the same cells into something else: every stored digest then misses once.
    CLEANING_VERSION = b"premises-clean-1"
    columns = [
        Column("name", _l("Premises name"), required=True, aliases=("名称", "店名", "店招"), example="老王面馆",
               width=24),
        Column("category", _l("Category"), required=True, aliases=("类别", "行业", "业态"), example="餐饮",
               choices=lambda: list(PremisesCategory.objects.values_list("code", "name"))),
        Column("address", _l("Address"), required=True, aliases=("地址", "经营地址"), example="仙霞西路88号", width=28),
        Column("grid", _l("Grid"), aliases=("网格", "所属网格", "网格编码"), example="",
               help=_l("Empty: taken from the road segment")),
        Column("is_key", _l("Key premises"), aliases=("重点场所", "是否重点"), choices=lambda: YES_NO, example="是"),
        Column("credit_code", _l("Credit code"), aliases=("统一社会信用代码", "信用代码"), width=22),
        Column("licence_number", _l("Licence number"), aliases=("许可证号", "营业执照号")),
        Column("operator", _l("Operator"), aliases=("经营者", "法定代表人", "负责人")),
        Column("contact_name", _l("Contact"), aliases=("联系人",)),
        Column("contact_phone", _l("Contact phone"), aliases=("联系电话", "电话", "手机")),
        Column("opens_at", _l("Opens at"), aliases=("开门时间", "营业开始"), example="09:00"),
        Column("closes_at", _l("Closes at"), aliases=("关门时间", "营业结束"), example="21:00"),
        Column("venue_code_status", _l("Venue code"), aliases=("场所码", "场所码状态"),
               choices=lambda: VenueCodeStatus.choices, example="已张贴"),
        Column("venue_code_number", _l("Venue code number"), aliases=("场所码编号",)),
        Column("staff_count", _l("Staff"), aliases=("从业人员", "员工数", "从业人数"), example="6"),
        Column("latitude", _l("Latitude"), aliases=("纬度", "lat")),
        Column("longitude", _l("Longitude"), aliases=("经度", "lng", "lon")),
        Column("coordinate_system", _l("Coordinate system"), aliases=("坐标系", "坐标系统", "坐标类型"),
               choices=lambda: [(k.value, LABELS[k]) for k in System], example="WGS-84",
               help=_l("Empty: WGS-84 (GPS, 天地图). 高德 and 腾讯 use GCJ-02, 百度 BD-09.")),
        Column("notes", _l("Notes"), aliases=("备注",)),
    ]
    export_only = [Column("status", _l("Operating status")), Column("segment", _l("Road segment")),
                   Column("shift", _l("Shift"))]

    def key(self, cleaned):
        # The same business: by credit code when it has one, else by normalised name + address.
        # Kept in the row: an import asks for it several times (duplicates, look-up, write, digest).
        key = cleaned.get("_key")
        if key is None:
            key = cleaned["_key"] = cleaned["credit_code"] or address_key(cleaned["name"], cleaned["address"])
        return key

    def prepare(self, actor, raw_rows):
        categories = {}
        for c in PremisesCategory.objects.all():
            categories[header_key(c.code)] = categories[header_key(c.name)] = c
        return {"categories": categories, "grids": visible_grids(actor)}

    def generation(self, actor):
        """What clean reads besides the cells: the category and grid each text names for this actor (a
        renamed category, a grid out of the actor's reach, change it). Road segments are not read by
        clean: they place new premises only, and an unchanged row's record keeps its place."""
        context = self.prepare(actor, [])
        names = [sorted((text, c.pk) for text, c in context["categories"].items()),
                 sorted((text, g.pk) for text, g in context["grids"].items())]
        return self.CLEANING_VERSION + repr(names).encode()

    def clean(self, actor, row, context):
        errors, cleaned = {}, {}
        cleaned["name"] = row.get("name", "").strip()
        if not cleaned["name"] or len(cleaned["name"]) > 100:
            errors["name"] = _("A name is required (at most 100 characters).")
        cleaned["category"] = context["categories"].get(header_key(row.get("category", "")))
        if cleaned["category"] is None:
            errors["category"] = _("Unknown category.")
        cleaned["address"] = normalise(row.get("address", ""))
        if not cleaned["address"] or len(cleaned["address"]) > 200:
            errors["address"] = _("An address is required (at most 200 characters).")
        grid_text = normalise(row.get("grid", ""))
        cleaned["grid"] = find_grid(context["grids"], grid_text) if grid_text else None
        if grid_text and cleaned["grid"] is None:
            errors["grid"] = _("No grid with this code or name that you manage.")
        cleaned["is_key"] = self.columns[4].pick(row.get("is_key", ""), errors, "1") == "1"
        for key, validate in (("credit_code", validate_credit_code), ("contact_phone", validate_phone)):
            value = row.get(key, "")
            try:
                cleaned[key] = validate(value) if normalise(value) else ""
            except ValidationError as exc:
                errors[key] = " ".join(exc.messages)
        for key in ("licence_number", "operator", "contact_name", "venue_code_number"):
            cleaned[key] = row.get(key, "").strip()[:100]
        cleaned["notes"] = row.get("notes", "").strip()
        for key in ("opens_at", "closes_at"):
            try:
                cleaned[key] = parse_time(row.get(key, ""))
            except ValueError:
                errors[key] = _("Write the time as 09:00.")
        cleaned["venue_code_status"] = self.columns[12].pick(row.get("venue_code_status", ""), errors,
                                               VenueCodeStatus.NOT_APPLIED)
        staff = normalise(row.get("staff_count", ""))
        cleaned["staff_count"] = int(staff) if staff.isdecimal() else None
        if staff and not staff.isdecimal():
            errors["staff_count"] = _("A whole number.")
        for key, limit in (("latitude", 90), ("longitude", 180)):
            text = normalise(row.get(key, ""))
            try:
                cleaned[key] = Decimal(text).quantize(Decimal("0.000001")) if text else None
                if cleaned[key] is not None and abs(cleaned[key]) > limit:
                    raise InvalidOperation
            except InvalidOperation:
                errors[key] = _("Not a coordinate.")
        self._to_wgs84(row, cleaned, errors)
        field_errors(Premises, cleaned, CHECKED_FIELDS, errors)
        if errors:
            raise RowError(errors)
        return cleaned

    @staticmethod
    def _to_wgs84(row, cleaned, errors):
        """Coordinates are stored in WGS-84: a row from 高德 or 百度 names its system and is converted here."""
        text = normalise(row.get("coordinate_system", ""))
        system = parse_system(text) if text else System.WGS84
        if system is None:
            errors["coordinate_system"] = _("Unknown coordinate system: write WGS-84, CGCS2000, GCJ-02 (高德, 腾讯) "
                                            "or BD-09 (百度).")
        elif system not in (System.WGS84, System.CGCS2000) and not errors.keys() & {"latitude", "longitude"} \
                and cleaned["latitude"] is not None and cleaned["longitude"] is not None:
            cleaned["latitude"], cleaned["longitude"] = stored_point(cleaned["latitude"], cleaned["longitude"], system)

    @staticmethod
    def _by_keys(keys):
        """Premises with these keys (credit codes, name@address keys), one query per batch of each
        (1,000 on SQLite, 10,000 as arrays on PostgreSQL: core/any_of.py)."""
        codes = [k for k in keys if len(k) == 18 and "@" not in k]
        addresses = [k for k in keys if "@" in k]
        size = batch_size()
        for start in range(0, max(len(codes), len(addresses)), size):
            yield Premises.objects.filter(Q(credit_code__any=codes[start:start + size])
                                          | Q(address_key__any=addresses[start:start + size]))

    def existing(self, actor, keys):
        found = {}
        for premises in self._by_keys(keys):
            for p in premises.defer("contact_phone"):
                found[p.credit_code or p.address_key] = p
                found.setdefault(p.address_key, p)
        visible = set(Premises.objects.visible_to(actor).filter(pk__in=[p.pk for p in found.values()])
                      .values_list("pk", flat=True))
        return {k: (p if p.pk in visible else OUT_OF_SCOPE) for k, p in found.items()}

    def versions(self, keys):
        found = {}
        for premises in self._by_keys(keys):  # as existing() finds them: same order, same keys
            for pk, version, code, key in premises.values_list("pk", "version", "credit_code", "address_key"):
                found[code or key] = (pk, version)
                found.setdefault(key, (pk, version))
        return found

    def records(self, actor):
        return Premises.objects.visible_to(actor).order_by().annotate(
            record_key=Coalesce(NullIf("credit_code", Value("")), "address_key"))

    def create_many(self, actor, rows):
        managed = services.managed_grid_ids(actor)
        segments = {}
        for s in RoadSegment.objects.all():
            segments.setdefault(s.road, []).append(s)
        placed = services.grids_by_coordinates(rows)
        return create_all(rows, lambda cleaned: services.build_premises(managed, segments, placed, checked=True,
                                                                        **cleaned),
                          lambda built: services.register_many(actor, built), "name")

    def apply(self, actor, cleaned, current):
        if current is OUT_OF_SCOPE:
            raise RowError({"name": _("These premises are already registered in a grid you do not manage.")})
        fields = [k for k in services.EDITABLE if k in cleaned and k not in ("grid", "segment")]
        if cleaned["grid"] is not None:
            fields.append("grid")
        if self._same(current, cleaned, fields):
            return "unchanged"
        changes = {f: cleaned[f] for f in fields}
        if not cleaned["contact_phone"]:
            changes.pop("contact_phone")
        services.update_premises(actor, current, current.version, **changes)
        return "updated"

    @staticmethod
    def _same(current, cleaned, fields) -> bool:
        """Nothing to change: compared without a query per row (related rows by id, the phone by its
        keyed hash: the loaded row holds neither the related rows nor the decrypted phone)."""
        for f in fields:
            if f == "contact_phone":
                if cleaned[f] and current.contact_phone_hash != keyed_hash(cleaned[f]):
                    return False
            elif f in ("category", "grid"):
                value = cleaned[f]
                if getattr(current, f + "_id") != (value.pk if value is not None else None):
                    return False
            elif getattr(current, f) != cleaned[f]:
                return False
        return True

    def export_queryset(self, actor, unmasked=False):
        rows = Premises.objects.visible_to(actor).select_related("category", "grid", "segment")
        return rows if unmasked else rows.defer("contact_phone")

    def filter(self, queryset, params, user=None):
        return filter_premises(queryset, params)

    def export_row(self, obj, unmasked=False):
        return [
            obj.name, obj.category.name, obj.address, obj.grid.name, str(YES_NO[0][1] if obj.is_key else YES_NO[1][1]),
            obj.credit_code, obj.licence_number, obj.operator, obj.contact_name,
            obj.contact_phone if unmasked else obj.contact_phone_masked,
            _hhmm(obj.opens_at), _hhmm(obj.closes_at),
            obj.get_venue_code_status_display(), obj.venue_code_number, obj.staff_count,
            float(obj.latitude) if obj.latitude is not None else None,
            float(obj.longitude) if obj.longitude is not None else None,
            str(LABELS[System.WGS84]) if obj.latitude is not None else "", obj.notes,
            obj.get_status_display(), str(obj.segment) if obj.segment else "", obj.get_shift_display(),
        ]


@register
class RoadSegmentKind(LedgerKind):
    name = "road-segments"
    label = _l("Road segments")
    model = RoadSegment
    import_permission = Perm.EDIT_PREMISES
    export_permission = Perm.EXPORT
    view_permission = Perm.VIEW_PREMISES
    columns = [
        Column("road", _l("Road"), required=True, aliases=("路名", "道路"), example="仙霞西路"),
        Column("from_number", _l("From number"), required=True, aliases=("起始门牌", "起始号"), example="1"),
        Column("to_number", _l("To number"), required=True, aliases=("终止门牌", "终止号"), example="99"),
        Column("side", _l("Side"), aliases=("单双号",), choices=lambda: Side.choices, example="单号"),
        Column("grid", _l("Grid"), required=True, aliases=("网格", "网格编码"), example="310105102022001"),
        Column("chief", _l("Road chief"), aliases=("路长", "路长账号"), example="gridworker",
               help=_l("The road chief's username")),
        Column("notes", _l("Notes"), aliases=("备注",)),
    ]

    def key(self, cleaned):
        return f"{cleaned['road']}|{cleaned['from_number']}|{cleaned['to_number']}|{cleaned['side']}"

    def prepare(self, actor, raw_rows):
        chiefs = person_lookup(User.objects.filter(role_assignments__role=Role.GRID_WORKER))
        return {"grids": visible_grids(actor), "chiefs": chiefs}

    def clean(self, actor, row, context):
        errors, cleaned = {}, {"road": normalise(row.get("road", "")), "notes": row.get("notes", "").strip()[:200]}
        if not cleaned["road"] or len(cleaned["road"]) > 50:
            errors["road"] = _("A road name is required.")
        for key in ("from_number", "to_number"):
            text = normalise(row.get(key, "")).removesuffix("号")
            if not text.isdecimal():
                errors[key] = _("A house number.")
            cleaned[key] = int(text) if text.isdecimal() else 0
        if "from_number" not in errors and "to_number" not in errors and cleaned["from_number"] > cleaned["to_number"]:
            errors["to_number"] = _("The first house number must not exceed the last.")
        cleaned["side"] = self.columns[3].pick(row.get("side", ""), errors, Side.BOTH)
        cleaned["grid"] = find_grid(context["grids"], row.get("grid", ""))
        if cleaned["grid"] is None:
            errors["grid"] = _("No grid with this code or name that you manage.")
        chief = normalise(row.get("chief", ""))
        cleaned["chief"] = find_person(context["chiefs"], chief) if chief else None
        if chief and cleaned["chief"] is None:
            errors["chief"] = _("No grid worker with this username.")
        if errors:
            raise RowError(errors)
        return cleaned

    def existing(self, actor, keys):
        roads = {k.split("|")[0] for k in keys}
        segments = RoadSegment.objects.filter(road__in=roads)
        return {f"{s.road}|{s.from_number}|{s.to_number}|{s.side}": s for s in segments}

    def apply(self, actor, cleaned, current):
        return sync(current, cleaned, ("grid", "chief", "notes"),
                    save=lambda s: services.save_segment(actor, s, s.version),
                    create=lambda: services.save_segment(actor, RoadSegment(**cleaned)))

    def export_queryset(self, actor, unmasked=False):
        return RoadSegment.objects.visible_to(actor).select_related("grid", "chief")

    def filter(self, queryset, params, user=None):
        return filter_segments(queryset, params)

    def export_row(self, obj, unmasked=False):
        return [obj.road, obj.from_number, obj.to_number, obj.get_side_display(), obj.grid.name,
                person_label(obj.chief), obj.notes]


__all__ = ["PremisesKind", "RoadSegmentKind", "PremisesStatus"]
