"""Ledger kind `vaccination-doses`: doses from a vaccination system's export, by ID number.

A row: ID number, dose number, date, vaccine type, and optionally product, site and batch. An ID number
that is not a resident the importer may see is an error of that row's ID column, and then nothing of the
file is written (the importer's all-or-nothing rule). Importing the same file again changes nothing; a
row that differs from the dose already recorded with that number corrects it.
"""

import contextlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from wangge.core import crypto
from wangge.core.roles import Perm
from wangge.core.tabular.columns import Column, parse_day
from wangge.core.tabular.kinds import LedgerKind, RowError, register, row_errors_from
from wangge.core.validators import normalise, validate_id_number

from .choices import MAX_DOSE_NUMBER, DoseSource, VaccineType
from .models import Dose, Elder
from .services import doses as services

# How vaccination systems' exports name the types (e.g. 新冠病毒灭活疫苗(Vero细胞)).
TYPE_WORDS = {"灭活": VaccineType.INACTIVATED, "腺病毒": VaccineType.ADENOVIRUS, "重组": VaccineType.RECOMBINANT}
FIELDS = ("given_on", "vaccine_type", "product", "site", "batch")


@register
class DoseKind(LedgerKind):
    name = "vaccination-doses"
    label = _l("Vaccination doses")
    model = Dose
    import_permission = Perm.IMPORT_DOSES
    export_permission = Perm.IMPORT_DOSES
    view_permission = Perm.VIEW_VACCINATION
    masked = {"id_number"}
    columns = [
        Column("id_number", _l("ID number"), required=True, example="31010519500101001X", width=22,
               aliases=("身份证", "身份证号码", "公民身份号码", "证件号码", "证件号")),
        Column("number", _l("Dose number"), required=True, example="1", aliases=("剂次", "针次", "第几剂")),
        Column("given_on", _l("Date given"), required=True, example="2022-05-06",
               aliases=("接种日期", "接种时间")),
        Column("vaccine_type", _l("Vaccine type"), required=True, example="灭活疫苗",
               choices=lambda: VaccineType.choices,
               aliases=("疫苗类型", "疫苗种类")),
        Column("product", _l("Product"), aliases=("疫苗名称", "生产企业", "厂家")),
        Column("site", _l("Where given"), aliases=("接种单位", "接种点")),
        Column("batch", _l("Batch"), aliases=("批号", "疫苗批号")),
    ]

    def key(self, cleaned):
        return f"{cleaned['hash']}|{cleaned['number']}"

    def prepare(self, actor, raw_rows):
        hashes = set()
        for row in raw_rows:
            with contextlib.suppress(ValidationError):
                hashes.add(crypto.keyed_hash(validate_id_number(row.get("id_number", ""))))
        people = Elder.objects.visible_to(actor).filter(id_number_hash__in=hashes).defer("id_number", "phone")
        return {"people": {p.id_number_hash: p for p in people}}

    def clean(self, actor, row, context):
        errors, cleaned = {}, {}
        try:
            cleaned["hash"] = crypto.keyed_hash(validate_id_number(row.get("id_number", "")))
            cleaned["resident"] = context["people"].get(cleaned["hash"])
            if cleaned["resident"] is None:
                errors["id_number"] = _("No resident with this ID number in your area.")
        except ValidationError as exc:
            errors["id_number"] = " ".join(exc.messages)
        number = normalise(row.get("number", "")).removeprefix("第").removesuffix("剂").removesuffix("针")
        cleaned["number"] = int(number) if number.isdecimal() and 1 <= int(number) <= MAX_DOSE_NUMBER else None
        if cleaned["number"] is None:
            errors["number"] = _("A dose number is 1 to %(max)s.") % {"max": MAX_DOSE_NUMBER}
        cleaned["given_on"] = parse_day(row.get("given_on", ""))
        if cleaned["given_on"] is None:
            errors["given_on"] = _("Enter a date such as 2022-05-06.")
        text = normalise(row.get("vaccine_type", ""))
        named = next((v for word, v in TYPE_WORDS.items() if word in text), None)
        cleaned["vaccine_type"] = named or self.columns[3].pick(text, errors)
        if not cleaned["vaccine_type"] and "vaccine_type" not in errors:
            errors["vaccine_type"] = _("Choose the vaccine type.")
        for name, size in (("product", 100), ("site", 100), ("batch", 50)):
            cleaned[name] = (row.get(name) or "").strip()[:size]
        if errors:
            raise RowError(errors)
        return cleaned

    def existing(self, actor, keys):
        hashes = {k.split("|")[0] for k in keys}
        rows = Dose.objects.visible_to(actor).filter(resident__id_number_hash__in=hashes, voided_at__isnull=True)
        return {f"{d.resident.id_number_hash}|{d.number}": d
                for d in rows.select_related("resident").defer("resident__id_number", "resident__phone")}

    def apply(self, actor, cleaned, current):
        fields = {k: cleaned[k] for k in FIELDS}
        try:
            if current is None:
                services.record_dose(actor, cleaned["resident"], number=cleaned["number"],
                                     source=DoseSource.IMPORTED, **fields)
                return "created"
            if all(getattr(current, k) == v for k, v in fields.items()):
                return "unchanged"
            services.update_dose(actor, current, current.version, **fields)
            return "updated"
        except ValidationError as exc:
            raise row_errors_from(exc, "id_number") from exc

    def export_queryset(self, actor, unmasked=False):
        return Dose.objects.visible_to(actor).filter(voided_at__isnull=True).select_related("resident")

    def export_row(self, obj, unmasked=False):
        return [obj.resident.id_number if unmasked else obj.resident.id_number_masked, obj.number, obj.given_on,
                obj.get_vaccine_type_display(), obj.product, obj.site, obj.batch]


from . import ledgers_lists  # noqa: E402,F401  (registers the register, worklist and coverage lists)
