"""API of the enforcement papers: list and read those the caller may see (by the premises' grid, the
issuing unit, taking part), make one from an inspection, the party's signature (a base64 PNG) or the
witnessed refusal, void or correct; the PDF and .docx. Errors name their field (422)."""

import datetime

from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from wangge.core.ids import Id
from wangge.core.pagination import Pages
from wangge.core.roles import Perm
from wangge.core.services import require
from wangge.core.visibility import get_visible_or_404
from wangge.inspections.models import Inspection

from . import services, verify
from .choices import PaperKind, PaperStatus
from .layout import sheet
from .models import Paper
from .signature import from_data_url
from .views import FILES

router = Router(tags=["papers"])


class PaperOut(Schema):
    id: int
    kind: PaperKind
    kind_label: str
    number: str
    status: PaperStatus
    status_label: str
    issued_on: datetime.date
    department_id: int
    issuer_name: str
    inspection_id: int
    premises_id: int
    work_order_id: int | None
    replaces_id: int | None
    signed: bool
    refused: bool
    signed_at: datetime.datetime | None
    voided_at: datetime.datetime | None

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_signed(obj):
        return bool(obj.signature)


class PaperDetail(PaperOut):
    title: str
    content: dict
    note: str
    witness: str
    void_reason: str
    verify_url: str

    @staticmethod
    def resolve_verify_url(obj, context):
        return verify.url(obj, context["request"].build_absolute_uri("/"))


class PaperFilters(Schema):
    kind: PaperKind | None = Field(None, description="Only papers of this kind")
    status: PaperStatus | None = Field(None, description="Only papers with this status (awaiting, issued, void)")
    premises: Id | None = Field(None, description="Only this premises' papers (its id)")
    work_order: Id | None = Field(None, description="Only the papers of this rectification order (its id)")
    inspection: Id | None = Field(None, description="Only the papers made from this inspection (its id)")


class PaperIn(Schema):
    kind: PaperKind
    note: str = Field("", max_length=1000)


class SignatureIn(Schema):
    signature: str = Field(max_length=14_000_000, description="The signature pad's PNG, base64 (a data URL is fine)")


class RefusalIn(Schema):
    witness: str = Field(max_length=50, description="Who saw the party refuse to sign")


class PaperVoidIn(Schema):
    reason: str = Field(max_length=300)
    correct: bool = Field(False, description="Issue a corrected paper under a new number in its place")
    note: str | None = Field(None, max_length=1000, description="Remarks on the corrected paper (default: kept)")


def _paper(request, paper_id: int) -> Paper:
    require(request.user, Perm.VIEW_INSPECTIONS)
    return get_visible_or_404(Paper, request.user, pk=paper_id)


@router.get("", response=list[PaperOut], summary="Enforcement papers the caller may see")
@paginate(Pages, page_size=50)
def list_papers(request, filters: Query[PaperFilters]):
    require(request.user, Perm.VIEW_INSPECTIONS)
    rows = Paper.objects.visible_to(request.user)
    for name in ("kind", "status"):
        if getattr(filters, name) is not None:
            rows = rows.filter(**{name: getattr(filters, name)})
    for name in ("premises", "work_order", "inspection"):
        if getattr(filters, name) is not None:
            rows = rows.filter(**{f"{name}_id": getattr(filters, name)})
    return rows.order_by("-issued_on", "-id")


@router.get("/{int:paper_id}", response=PaperDetail, summary="One paper with what it says")
def get_paper(request, paper_id: Id):
    return _paper(request, paper_id)


@router.get("/{int:paper_id}/file", response={200: None}, summary="The paper as PDF (?fmt=pdf) or Word (?fmt=docx)")
def get_file(request, paper_id: Id, fmt: str = Query("pdf", description="`pdf` or `docx`")):
    paper = _paper(request, paper_id)
    if fmt not in FILES:
        raise Http404
    content_type, write = FILES[fmt]
    response = HttpResponse(write(sheet(paper, request.build_absolute_uri("/"))), content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=paper-{paper.pk}.{fmt}"
    return response


@router.post("/from-inspection/{int:inspection_id}", response={201: PaperDetail},
             summary="Make a paper of a kind from an inspection (numbered, awaiting the party's signature)")
def create_paper(request, inspection_id: Id, payload: PaperIn):
    require(request.user, Perm.INSPECT)
    inspection = get_visible_or_404(Inspection, request.user, pk=inspection_id)
    return Status(201, services.make_paper(request.user, inspection, payload.kind, note=payload.note))


@router.post("/{int:paper_id}/sign", response=PaperDetail, summary="The party's signature: the paper is issued")
def sign_paper(request, paper_id: Id, payload: SignatureIn):
    require(request.user, Perm.INSPECT)
    paper = _paper(request, paper_id)
    return services.sign(request.user, paper, from_data_url(payload.signature))


@router.post("/{int:paper_id}/refuse", response=PaperDetail,
             summary="The party refused to sign, before a witness: the paper is issued")
def refuse_paper(request, paper_id: Id, payload: RefusalIn):
    require(request.user, Perm.INSPECT)
    return services.refuse(request.user, _paper(request, paper_id), payload.witness)


@router.post("/{int:paper_id}/void", response=PaperDetail,
             summary="Void a paper; with correct=true the corrected paper (new number) is returned")
def void_paper(request, paper_id: Id, payload: PaperVoidIn):
    require(request.user, Perm.INSPECT)
    paper = _paper(request, paper_id)
    if payload.correct:
        return services.correct(request.user, paper, payload.reason, note=payload.note)
    return services.void(request.user, paper, payload.reason)
