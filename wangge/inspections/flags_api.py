"""API of the plausibility review (plausibility.py): the flagged inspections the caller may see, and
the review verb — confirm (stays counted) or void (counted nowhere) — through services.review_flags."""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from wangge.core.ids import Id
from wangge.core.pagination import Pages
from wangge.core.roles import Perm
from wangge.core.services import require
from wangge.core.visibility import get_visible_or_404

from . import services
from .api import InspectionDetail, InspectionOut
from .choices import FlagReview
from .models import Inspection

flags_router = Router(tags=["inspections"])


class FlaggedFilters(Schema):
    campaign: Id | None = None
    review: FlagReview | None = Field(None, description="pending, confirmed or voided; every flagged one by default")


class ReviewIn(Schema):
    decision: FlagReview = Field(description="confirmed (plausible: stays counted) or voided (counted nowhere)")
    reason: str = Field(max_length=300)


@flags_router.get("/flagged", response=list[InspectionOut], summary="Inspections flagged as implausible")
@paginate(Pages, page_size=50)
def list_flagged(request, filters: Query[FlaggedFilters]):
    require(request.user, Perm.VIEW_INSPECTIONS)
    rows = Inspection.objects.visible_to(request.user).flagged().prefetch_related("inspectors")
    if filters.campaign is not None:
        rows = rows.filter(campaign_id=filters.campaign)
    if filters.review is not None:
        rows = rows.filter(flag_review=filters.review)
    return rows.order_by("-inspected_at", "-id")


@flags_router.post("/{int:inspection_id}/review", response=InspectionDetail,
                   summary="Confirm or void a flagged inspection, with the reason")
def review(request, inspection_id: Id, payload: ReviewIn):
    require(request.user, Perm.REVIEW_INSPECTIONS)
    inspection = get_visible_or_404(Inspection, request.user, pk=inspection_id)
    return services.review_flags(request.user, inspection, decision=payload.decision, reason=payload.reason)
