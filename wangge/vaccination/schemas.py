"""Ninja schemas of the vaccination API. Health facts (contraindications, adverse reactions) are masked
for roles without `view_health`: the category shows, the detail does not."""

import datetime
import uuid
from typing import Annotated

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator

from wangge.core.ids import Ref, Version
from wangge.core.roles import Perm

from .choices import (
    HEALTH_REASONS,
    ContactMethod,
    ContactResult,
    Contraindication,
    FollowUpResult,
    Reason,
    Severity,
    VaccineType,
    Willingness,
)

MASK = "***"
MASKED_REASON = "health"  # what others see instead of a contraindication's kind


def _plausible(day: datetime.date) -> datetime.date:
    if not 1900 <= day.year <= 2100:
        raise ValueError(_("Enter a date between 1900 and 2100."))
    return day


Day = Annotated[datetime.date, AfterValidator(_plausible)]


def status_row(resident):
    try:
        return resident.vaccination
    except ObjectDoesNotExist:
        return None


def sees_health(context) -> bool:
    return context["request"].user.can(Perm.VIEW_HEALTH)


class PointOut(Schema):
    id: int
    name: str
    address: str
    grid_id: int
    health_centre_id: int | None
    active: bool
    version: int


class PointIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    address: str = Field("", max_length=200)
    grid_id: Ref("core.area")
    health_centre_id: Ref("core.department") | None = None
    active: bool = True


class CensusOut(Schema):
    id: int
    resident_id: int
    reason: str = Field(description="`health` for roles that may not see health facts")
    contraindication: str
    until: datetime.date | None
    willingness: str
    asked_on: datetime.date
    asked_by_id: int | None
    notes: str

    @staticmethod
    def resolve_reason(obj, context):
        return obj.reason if obj.reason not in HEALTH_REASONS or sees_health(context) else MASKED_REASON

    @staticmethod
    def resolve_contraindication(obj, context):
        return obj.contraindication if sees_health(context) else (MASK if obj.contraindication else "")

    @staticmethod
    def resolve_notes(obj, context):
        # Notes on a contraindication describe it: masked like the contraindication itself.
        hidden = obj.reason in HEALTH_REASONS and not sees_health(context)
        return (MASK if obj.notes else "") if hidden else obj.notes

    @staticmethod
    def resolve_until(obj, context):
        return obj.until if sees_health(context) else None


class CensusIn(Schema):
    resident_id: Ref("vaccination.elder")
    reason: Reason
    willingness: Willingness = Willingness.UNDECIDED
    contraindication: Contraindication | None = None
    until: Day | None = None
    asked_on: Day | None = None
    notes: str = Field("", max_length=200)


class ElderOut(Schema):
    id: int
    name: str
    id_number: str = Field(description="Masked")
    age: int
    grid_id: int
    compound_id: int | None
    signed: bool = Field(description="Signed with a family doctor")
    family_doctor_id: int | None
    status: str
    doses: int
    census: CensusOut | None

    @staticmethod
    def resolve_id_number(obj):
        return obj.id_number_masked

    @staticmethod
    def resolve_signed(obj):
        return obj.family_doctor_id is not None

    @staticmethod
    def resolve_status(obj):
        row = status_row(obj)
        return row.status if row else "unvaccinated"

    @staticmethod
    def resolve_doses(obj):
        row = status_row(obj)
        return row.doses if row else 0

    @staticmethod
    def resolve_census(obj):
        row = status_row(obj)
        return row.census if row else None


class DoseOut(Schema):
    id: int
    resident_id: int
    number: int
    given_on: datetime.date
    vaccine_type: str
    product: str
    point_id: int | None
    site: str
    batch: str
    source: str
    voided_at: datetime.datetime | None
    void_reason: str
    version: int


class DoseIn(Schema):
    resident_id: Ref("vaccination.elder")
    number: int = Field(ge=1, le=5)
    given_on: Day
    vaccine_type: VaccineType
    product: str = Field("", max_length=100)
    point_id: Ref("vaccination.vaccinationpoint") | None = None
    site: str = Field("", max_length=100)
    batch: str = Field("", max_length=50)


class DosePatch(Schema):
    version: Version
    number: int | None = Field(None, ge=1, le=5)
    given_on: Day | None = None
    vaccine_type: VaccineType | None = None
    product: str | None = Field(None, max_length=100)
    site: str | None = Field(None, max_length=100)
    batch: str | None = Field(None, max_length=50)


class VoidIn(Schema):
    reason: str = Field(min_length=2, max_length=200)
    version: Version | None = None


class PersonOut(ElderOut):
    dose_list: list[DoseOut]
    answers: list[CensusOut]


class ContactOut(Schema):
    id: int
    resident_id: int
    method: str
    result: str
    contacted_on: datetime.date
    by_id: int | None
    notes: str
    client_id: uuid.UUID | None


class ContactIn(Schema):
    resident_id: Ref("vaccination.elder")
    method: ContactMethod
    result: ContactResult
    contacted_on: Day | None = None
    notes: str = Field("", max_length=200)
    client_id: uuid.UUID | None = Field(None, description="Generated by the client; a repeat returns the first")


class AppointmentOut(Schema):
    id: int
    resident_id: int
    point_id: int
    date: datetime.date
    at_home: bool
    state: str
    reminded_on: datetime.date | None
    called_at: datetime.datetime | None
    version: int


class AppointmentIn(Schema):
    resident_id: Ref("vaccination.elder")
    point_id: Ref("vaccination.vaccinationpoint")
    date: Day
    at_home: bool = False


class VisitOut(Schema):
    id: int
    resident_id: int
    point_id: int
    appointment_id: int | None
    checked_in_at: datetime.datetime
    dose_id: int | None
    observation_from: datetime.datetime | None
    earliest_release: datetime.datetime | None
    released_at: datetime.datetime | None
    reaction: str = Field(description="Masked for roles that may not see health facts")
    severity: str
    handling: str
    version: int

    @staticmethod
    def resolve_reaction(obj, context):
        return obj.reaction if sees_health(context) else (MASK if obj.reaction else "")

    @staticmethod
    def resolve_severity(obj, context):
        return obj.severity if sees_health(context) else (MASK if obj.severity else "")

    @staticmethod
    def resolve_handling(obj, context):
        return obj.handling if sees_health(context) else (MASK if obj.handling else "")


class CheckInIn(Schema):
    point_id: Ref("vaccination.vaccinationpoint")
    resident_id: Ref("vaccination.elder")
    appointment_id: Ref("vaccination.appointment") | None = None


class VaccinateIn(Schema):
    vaccine_type: VaccineType
    product: str = Field("", max_length=100)
    batch: str = Field("", max_length=50)


class ReleaseIn(Schema):
    reaction: str = Field("", max_length=200)
    severity: Severity = Severity.NONE
    handling: str = Field("", max_length=200)


class FollowUpOut(Schema):
    id: int
    visit_id: int
    resident_id: int
    due_on: datetime.date
    done_on: datetime.date | None
    result: str
    notes: str
    version: int

    @staticmethod
    def resolve_result(obj, context):  # how someone was after a dose is a health fact
        return obj.result if sees_health(context) else (MASK if obj.result else "")

    @staticmethod
    def resolve_notes(obj, context):
        return obj.notes if sees_health(context) else (MASK if obj.notes else "")


class FollowUpIn(Schema):
    result: FollowUpResult
    notes: str = Field("", max_length=200)
    done_on: Day | None = None


class RateOut(Schema):
    key: str
    label: str
    population: int
    eligible: int
    first: int
    full: int
    boosted: int
    not_full: int
    census: int
    first_rate: float | None = Field(description="first ÷ population (all 60+)")
    full_rate: float | None = Field(description="full ÷ population (all 60+)")
    boosted_rate: float | None = Field(description="boosted ÷ population (all 60+)")
    first_rate_eligible: float | None = Field(description="first ÷ eligible (60+ minus permanent contraindications)")
    full_rate_eligible: float | None = Field(description="full ÷ eligible")
    boosted_rate_eligible: float | None = Field(description="boosted ÷ eligible")
    census_rate: float | None = Field(description="with a current census answer ÷ not fully vaccinated")


class MonthOut(Schema):
    month: str
    first: int
    second: int
    later: int
    total: int
    people_started: int


class CoverageOut(Schema):
    as_of: datetime.date
    total: RateOut
    neighbourhoods: list[RateOut]
    compounds: list[RateOut] = Field(description="Key compounds first: lowest full rate, most not fully vaccinated")
    bands: list[RateOut]
    contract: list[RateOut] = Field(description="Signed with a family doctor versus not")
    months: list[MonthOut]
