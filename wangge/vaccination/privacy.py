"""Personal data of the vaccination drive: its kinds (retention, purge) and its sections of a resident's
export (docs/PRIVACY.md). Doses and statuses are the drive's record and stay; what was said and
written about a person's health goes after its period, keeping the categories the figures count
(the census reason, the contact result, the reaction's severity)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from wangge.core.privacy import PersonalDataKind, PersonSection, plain, register_kind, register_section, row_of
from wangge.core.roles import Perm

from .models import Appointment, CensusAnswer, Contact, Dose, FollowUp, Visit


def _day(cutoff):
    return timezone.localdate(cutoff)


# --- census answers and contacts: which contraindication, and the notes --------------------------------

def expired_census(cutoff):
    return CensusAnswer.objects.filter(asked_on__lt=_day(cutoff)).filter(~Q(contraindication="") | ~Q(notes=""))


def anonymise_census(queryset) -> int:
    return plain(queryset).update(contraindication="", notes="")


register_kind(PersonalDataKind(
    code="vaccination_census",
    label=_l("Census answers about unvaccinated elderly people (which contraindication, notes)"),
    purpose=_l("Know why each elderly person is not vaccinated and mobilise them (底数清、情况明)"),
    legal_basis=_l("Public-health emergency (PIPL Art. 13 (4)); health facts are sensitive (Art. 28)"),
    expired=expired_census, anonymise=anonymise_census))


def expired_contacts(cutoff):
    return Contact.objects.filter(contacted_on__lt=_day(cutoff)).exclude(notes="")


def anonymise_contacts(queryset) -> int:
    return plain(queryset).update(notes="")


register_kind(PersonalDataKind(
    code="vaccination_contacts", label=_l("Notes of vaccination outreach contacts"),
    purpose=_l("Mobilise elderly people to be vaccinated, and know what each contact achieved"),
    legal_basis=_l("Public-health emergency (PIPL Art. 13 (4))"),
    expired=expired_contacts, anonymise=anonymise_contacts))


# --- adverse reactions and follow-ups: what happened, and how it was handled ---------------------------

def expired_reactions(cutoff):
    return Visit.objects.filter(checked_in_at__lt=cutoff).filter(~Q(reaction="") | ~Q(handling=""))


def anonymise_reactions(queryset) -> int:
    plain(FollowUp.objects.filter(visit__in=queryset.values("pk")).exclude(notes="")).update(notes="")
    return plain(queryset).update(reaction="", handling="")


register_kind(PersonalDataKind(
    code="vaccination_reactions", label=_l("Adverse reactions after a dose, and the follow-up notes"),
    purpose=_l("Observe and follow up everyone vaccinated, and report reactions"),
    legal_basis=_l("Public-health emergency (PIPL Art. 13 (4)); health facts are sensitive (Art. 28)"),
    expired=expired_reactions, anonymise=anonymise_reactions))


# --- a resident's export ----------------------------------------------------------------------------------

HEALTH_SECTIONS = {"vaccination_census", "vaccination_visits", "vaccination_follow_ups"}
EXPORTED = [  # (code, label, model, the fields shown, in this order)
    ("vaccination_doses", _l("Vaccination doses"), Dose,
     ("number", "given_on", "vaccine_type", "product", "point", "site", "batch", "source", "voided_at", "void_reason")),
    ("vaccination_census", _l("Vaccination census answers"), CensusAnswer,
     ("asked_on", "reason", "contraindication", "until", "willingness", "asked_by", "notes")),
    ("vaccination_contacts", _l("Vaccination outreach contacts"), Contact,
     ("contacted_on", "method", "result", "by", "notes")),
    ("vaccination_appointments", _l("Vaccination appointments"), Appointment, ("date", "point", "at_home", "state")),
    ("vaccination_visits", _l("Vaccination visits and reactions"), Visit,
     ("checked_in_at", "point", "observation_from", "released_at", "reaction", "severity", "handling")),
    ("vaccination_follow_ups", _l("Vaccination follow-ups"), FollowUp, ("due_on", "done_on", "result", "notes")),
]


def _section_rows(model, names):
    def rows(resident, actor):
        return [row_of(obj, names) for obj in model.objects.filter(resident=resident).order_by("pk")]
    return rows


for _order, (_code, _label, _model, _names) in enumerate(EXPORTED, start=60):
    register_section(PersonSection(_code, _label, _section_rows(_model, _names), order=_order,
                                   perm=Perm.VIEW_HEALTH if _code in HEALTH_SECTIONS else None))
