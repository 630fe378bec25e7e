"""/api/v1/public-reports: the reports in the caller's scope (read only; reports come in through the
public page and the hotline ledger). The phone is masked here, always."""

import datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from wangge.core.ids import Id
from wangge.core.pagination import Pages
from wangge.core.roles import Perm
from wangge.core.services import require
from wangge.core.visibility import get_visible_or_404

from .choices import ReportCategory, ReportChannel
from .models import PublicReport
from .views import filter_reports

router = Router(tags=["public reports"])


class ReportOut(Schema):
    id: int
    tracking_number: str
    channel: ReportChannel
    hotline_case: str
    category: ReportCategory
    description: str
    address: str
    segment_id: int | None
    latitude: float | None
    longitude: float | None
    grid_id: int
    phone_masked: str
    has_photo: bool
    order_id: int
    duplicate_of_id: int | None
    received_at: datetime.datetime
    satisfaction: str

    @staticmethod
    def resolve_has_photo(obj) -> bool:
        return bool(obj.photo)


class ReportFilters(Schema):
    q: str = Field("", description="A tracking number or hotline case number, or words of the place or text")
    category: ReportCategory | None = Field(None, description="Only reports of this category")
    channel: ReportChannel | None = Field(None, description="`web` (the public page) or `hotline` (12345)")


def _visible(request):
    require(request.user, Perm.VIEW_WORKORDERS)
    return PublicReport.objects.visible_to(request.user).defer("phone")


@router.get("", response=list[ReportOut], summary="Public reports and hotline cases in the user's scope")
@paginate(Pages, page_size=50)
def list_reports(request, filters: Query[ReportFilters]):
    params = {k: ("" if v is None else str(v)) for k, v in filters.dict().items()}
    return filter_reports(_visible(request), params)


@router.get("/{int:report_id}", response=ReportOut, summary="One public report")
def get_report(request, report_id: Id):
    return get_visible_or_404(_visible(request), request.user, pk=report_id)
