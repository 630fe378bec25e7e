"""Personal data of the neighbourhoods module: its kinds (retention, purge) and its sections of a
resident's export (docs/PRIVACY.md)."""

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext

from wangge.core.privacy import PersonalDataKind, PersonSection, plain, register_kind, register_section, row_of

from .choices import MovementKind, ResidentStatus
from .models import CareVisit, Resident, ScreeningResult, SupplyMovement

HEALTH = Q(disabled=True) | Q(bedridden=True) | Q(chronic_illness=True) | Q(pregnant=True)


def anonymised_label() -> str:
    """What replaces a free text that must stay non-empty (an exemption's reason)."""
    with translation.override("zh-hans"):
        return _("(anonymised)")


def _day(cutoff):
    return timezone.localdate(cutoff)


# --- screening results: the row stays (coverage), the person goes ------------------------------------

def expired_results(cutoff):
    return ScreeningResult.objects.filter(round__date__lt=_day(cutoff), resident__isnull=False)


def anonymise_results(queryset) -> int:
    rows = plain(queryset)
    rows.exclude(exempt_reason="").update(exempt_reason=anonymised_label())
    return rows.update(resident=None)


register_kind(PersonalDataKind(
    code="screening_results", label=_l("Screening results of a resident"),
    purpose=_l("Test everyone who should be tested in a round (应检尽检) and knock on the doors of the rest"),
    legal_basis=_l("Public-health emergency (PIPL Art. 13 (4)); sensitive data (Art. 28)"),
    expired=expired_results, anonymise=anonymise_results))


# --- care visits: the visit stays (who went, when, the condition), what was written goes -------------

VISIT_TEXTS = ("notes", "daily_life_need", "medical_need", "supplies_need")


def expired_visits(cutoff):
    return CareVisit.objects.filter(visited_on__lt=_day(cutoff)).exclude(**{f: "" for f in VISIT_TEXTS})


def anonymise_visits(queryset) -> int:
    return plain(queryset).update(**{f: "" for f in VISIT_TEXTS})


register_kind(PersonalDataKind(
    code="care_visit_notes", label=_l("Observations and needs written on care visits"),
    purpose=_l("Look after elderly people living alone and other special groups; turn needs into work orders"),
    legal_basis=_l("Duties of the town government (PIPL Art. 13 (3)); sensitive data (Art. 28)"),
    expired=expired_visits, anonymise=anonymise_visits))


# --- former residents: health facts, phone and address end a while after they left or died -----------

def expired_former(cutoff):
    return Resident.objects.filter(
        status__in=[ResidentStatus.MOVED_OUT, ResidentStatus.DECEASED], status_changed_on__lt=_day(cutoff),
    ).filter(HEALTH | Q(lives_alone=True) | Q(low_income=True) | ~Q(phone_hash=""))


def anonymise_former(queryset) -> int:
    # The address stays, like compound, building and room: where someone lived is the registry's history.
    return plain(queryset).update(**{f: False for f in Resident.FLAGS}, phone="", phone_hash="", phone_masked="")


register_kind(PersonalDataKind(
    code="former_residents", label=_l("Special-group flags and phone of residents who moved out or died"),
    purpose=_l("Know who needs care and how to reach them"),
    legal_basis=_l("Duties of the town government (PIPL Art. 13 (3)); health facts are sensitive (Art. 28)"),
    expired=expired_former, anonymise=anonymise_former))


# --- supply distributions: the ledger line stays (stock, quantity), the receiver goes ----------------

def expired_distributions(cutoff):
    return SupplyMovement.objects.filter(kind=MovementKind.DISTRIBUTION, on__lt=_day(cutoff)).filter(
        Q(resident__isnull=False) | ~Q(household="") | ~Q(counterparty=""))


def anonymise_distributions(queryset) -> int:
    return plain(queryset).update(resident=None, household="", counterparty="")


register_kind(PersonalDataKind(
    code="supply_distributions", label=_l("Who received supplies"),
    purpose=_l("Hand out supplies fairly and account for them"),
    legal_basis=_l("Public-health emergency (PIPL Art. 13 (4))"),
    expired=expired_distributions, anonymise=anonymise_distributions))


# --- a resident's export ------------------------------------------------------------------------------

RECORD_FIELDS = ("name", "id_number", "phone", "sex", "birth_date", "grid", "compound", "building", "room",
                 "household", "address", "status", "status_changed_on", "family_doctor", "doctor_signed_on",
                 *Resident.FLAGS, "merged_into", "created_at", "updated_at")


def record_rows(resident, actor):
    return [row_of(resident, RECORD_FIELDS)]


def result_rows(resident, actor):
    results = ScreeningResult.objects.filter(resident=resident).select_related("round", "compound", "recorded_by")
    return [{_("date"): r.round.date, **row_of(r, ("round", "compound", "building", "status", "exempt_reason",
                                                    "tested_at", "recorded_by"))}
            for r in results.order_by("round__date", "id")]


def visit_rows(resident, actor):
    visits = CareVisit.objects.filter(resident=resident).select_related("recorded_by").order_by("visited_on", "id")
    return [row_of(v, ("visited_on", "visitors", "condition", *VISIT_TEXTS, "recorded_by")) for v in visits]


def distribution_rows(resident, actor):
    lines = SupplyMovement.objects.filter(resident=resident).select_related(
        "stock__item", "stock__site").order_by("on", "id")
    return [{**row_of(m, ("on", "kind")), pgettext("supplies", "item"): m.stock.item.name, **row_of(m, ("quantity",)),
             _("unit"): m.stock.item.unit, _("site"): m.stock.site.name, **row_of(m, ("household", "note"))}
            for m in lines]


register_section(PersonSection("record", _l("Resident"), record_rows, order=10))
register_section(PersonSection("screening", _l("Screening results"), result_rows, order=20))
register_section(PersonSection("care_visits", _l("Care visits"), visit_rows, order=30))
register_section(PersonSection("distributions", _l("Supplies received"), distribution_rows, order=40))
