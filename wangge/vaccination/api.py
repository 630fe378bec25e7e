"""API of the vaccination drive under /api/v1/vaccination (docs/API.md, docs/VACCINATION.md).

Rows only through `visible_to`; a row out of scope is a 404, a verb the role may not use a 403, bad
input field errors (422)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from wangge.core.ids import Id
from wangge.core.models import Area, AreaLevel, Department
from wangge.core.pagination import Pages
from wangge.core.roles import Perm
from wangge.core.services import require
from wangge.core.validators import normalise
from wangge.core.visibility import get_visible_or_404

from .filters import filter_register
from .models import CensusAnswer, Dose, Elder, VaccinationPoint
from .schemas import (
    CensusIn,
    CensusOut,
    CoverageOut,
    Day,
    DoseIn,
    DoseOut,
    DosePatch,
    ElderOut,
    PersonOut,
    PointIn,
    PointOut,
    VoidIn,
)
from .services import census as census_services
from .services import coverage
from .services import day as day_services
from .services import doses as dose_services
from .services.status import on_register, reference_date, register

router = Router(tags=["vaccination"])


def viewer(request):
    require(request.user, Perm.VIEW_VACCINATION)
    return request.user


def bounded(**values) -> None:
    """Ids in a query beyond what a database integer holds are a field error, not an overflow."""
    for name, value in values.items():
        if value is not None and not -(2**31) < value < 2**31:
            raise ValidationError({name: _("Not a valid id.")})


def as_of_of(as_of: datetime.date | None) -> datetime.date:
    return as_of or reference_date()


def elder(request, resident_id: Id, field: str = "resident_id") -> Elder:
    found = Elder.objects.visible_to(request.user).filter(pk=resident_id).first()
    if found is None:
        raise ValidationError({field: _("No such person, or outside your area.")})
    return found


def point_of(point_id, field: str = "point_id") -> VaccinationPoint:
    found = VaccinationPoint.objects.filter(pk=point_id).first()
    if found is None:
        raise ValidationError({field: _("No such vaccination point.")})
    return found


# --- points -----------------------------------------------------------------------------------------

@router.get("/points", response=list[PointOut], summary="Vaccination points (接种点)")
@paginate(Pages, page_size=50)
def list_points(request):
    return VaccinationPoint.objects.visible_to(viewer(request))


@router.get("/points/{int:point_id}", response=PointOut)
def get_point(request, point_id: Id):
    return get_visible_or_404(VaccinationPoint, viewer(request), pk=point_id)


@router.post("/points", response={201: PointOut}, summary="Open a vaccination point (health centre)")
def create_point(request, payload: PointIn):
    require(request.user, Perm.IMPORT_DOSES)
    grid = Area.objects.visible_to(request.user).filter(pk=payload.grid_id, level=AreaLevel.GRID).first()
    if grid is None:
        raise ValidationError({"grid_id": _("No such grid, or you do not manage it.")})
    centre = None
    if payload.health_centre_id:
        centre = Department.objects.choosable_by(request.user).filter(pk=payload.health_centre_id).first()
        if centre is None:
            raise ValidationError({"health_centre_id": _("No such department.")})
    point = VaccinationPoint(name=payload.name, address=payload.address, grid=grid, health_centre=centre,
                             active=payload.active)
    return Status(201, day_services.save_point(request.user, point))


# --- the 60+ register ---------------------------------------------------------------------------------

@router.get("/register", response=list[ElderOut], summary="The 60+ register at a reference date")
@paginate(Pages, page_size=50)
def list_register(request, as_of: Day | None = None, hood: Id | None = None, compound: Id | None = None,
                  band: str = "", status: str = "", signed: str = "", census: str = "", q: str = ""):
    day = as_of_of(as_of)
    bounded(hood=hood, compound=compound)
    people = filter_register(register(viewer(request), day), {
        "hood": hood, "compound": compound, "band": band, "status": status, "signed": signed, "census": census},
        day)
    q = normalise(q.replace("\x00", ""))[:50]
    if q:
        people = people.filter(name__contains=q)
    return people.select_related("vaccination__census").defer("id_number", "phone").order_by("grid__path", "name",
                                                                                              "id")


@router.get("/register/{int:resident_id}", response=PersonOut, summary="One person: status, doses, census")
def get_person(request, resident_id: Id):
    people = on_register(Elder.objects.select_related("vaccination__census").defer("id_number", "phone"))
    person = get_visible_or_404(people, viewer(request), pk=resident_id)
    person.dose_list = list(Dose.objects.filter(resident=person))
    person.answers = list(CensusAnswer.objects.filter(resident=person))
    return person


@router.get("/coverage", response=CoverageOut, summary="Coverage with both denominators (all 60+, eligible)")
def get_coverage(request, as_of: Day | None = None):
    user, day = viewer(request), as_of_of(as_of)
    return {"as_of": day, "total": coverage.total(user, day, _("Total")),
            "neighbourhoods": coverage.by_neighbourhood(user, day), "compounds": coverage.by_compound(user, day),
            "bands": coverage.by_band(user, day),
            "contract": coverage.by_contract(user, day, (_("contract signed"), _("not signed"))),
            "months": coverage.over_time(user, day)}


# --- doses -------------------------------------------------------------------------------------------

@router.get("/doses", response=list[DoseOut], summary="Doses (voided ones included, marked)")
@paginate(Pages, page_size=50)
def list_doses(request, resident_id: Id | None = None):
    doses = Dose.objects.visible_to(viewer(request))
    bounded(resident_id=resident_id)
    return doses.filter(resident_id=resident_id) if resident_id else doses


@router.get("/doses/{int:dose_id}", response=DoseOut)
def get_dose(request, dose_id: Id):
    return get_visible_or_404(Dose, viewer(request), pk=dose_id)


@router.post("/doses", response={201: DoseOut}, summary="Enter a dose")
def create_dose(request, payload: DoseIn):
    require(request.user, Perm.RECORD_DOSES)
    data = payload.dict()
    person = elder(request, data.pop("resident_id"))
    point_id = data.pop("point_id")
    data["point"] = point_of(point_id) if point_id else None
    return Status(201, dose_services.record_dose(request.user, person, **data))


@router.patch("/doses/{int:dose_id}", response=DoseOut, summary="Correct a dose (send the version you read)")
def update_dose(request, dose_id: Id, payload: DosePatch):
    dose = get_visible_or_404(Dose.objects.select_related("resident"), viewer(request), pk=dose_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return dose_services.update_dose(request.user, dose, version, **{k: v for k, v in data.items() if v is not None})


@router.post("/doses/{int:dose_id}/void", response=DoseOut, summary="Void a dose entered by mistake")
def void_dose(request, dose_id: Id, payload: VoidIn):
    dose = get_visible_or_404(Dose.objects.select_related("resident"), viewer(request), pk=dose_id)
    return dose_services.void_dose(request.user, dose, payload.reason, payload.version)


# --- census ------------------------------------------------------------------------------------------

@router.get("/census", response=list[CensusOut], summary="Census answers (摸排), latest first")
@paginate(Pages, page_size=50)
def list_census(request, resident_id: Id | None = None):
    answers = CensusAnswer.objects.visible_to(viewer(request))
    bounded(resident_id=resident_id)
    return answers.filter(resident_id=resident_id) if resident_id else answers


@router.post("/census", response={201: CensusOut}, summary="Record a census answer")
def create_census(request, payload: CensusIn):
    require(request.user, Perm.RECORD_VACCINATION)
    data = payload.dict()
    person = elder(request, data.pop("resident_id"))
    data["contraindication"] = data["contraindication"] or ""
    return Status(201, census_services.record_answer(request.user, person, **data))


from . import api_outreach  # noqa: E402, F401  (its routes join this router)
