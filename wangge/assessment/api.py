"""API of the period reports, for a district system to pull (bearer token like the rest of the API):
the approved reports, one report with its frozen figures, every version of its period with the
differences and the approval trail; and the approval verbs, which keep the two-person rule."""

import datetime

from ninja import Router, Schema

from wangge.core.ids import Id
from wangge.core.roles import Perm
from wangge.core.services import require
from wangge.core.visibility import get_visible_or_404

from . import services
from .choices import DocStatus
from .models import PeriodReport

router = Router(tags=["assessment"])


class StepOut(Schema):
    step: str
    by: str
    at: datetime.datetime | None


class VersionOut(Schema):
    id: int
    version: int
    status: DocStatus
    reason: str
    differences: list[dict]
    trail: list[StepOut]


class PeriodReportOut(Schema):
    id: int
    definition: str
    starts_on: datetime.date
    ends_on: datetime.date
    version: int
    status: DocStatus
    status_label: str
    figures: dict
    versions: list[VersionOut]


class ReturnIn(Schema):
    note: str


def _name(user) -> str:
    return (user.full_name or user.username) if user else ""


def _trail(report: PeriodReport) -> list[dict]:
    steps = [{"step": "prepared", "by": _name(report.prepared_by), "at": report.created_at}]
    if report.submitted_at:
        steps.append({"step": "submitted", "by": _name(report.prepared_by), "at": report.submitted_at})
    if report.status == DocStatus.RETURNED:
        steps.append({"step": "returned", "by": "", "at": report.updated_at})
    if report.approved_at:
        steps.append({"step": "approved", "by": _name(report.approved_by), "at": report.approved_at})
    return steps


def _out(report: PeriodReport) -> dict:
    versions = (PeriodReport.objects.filter(definition=report.definition_id, starts_on=report.starts_on,
                                            ends_on=report.ends_on)
                .select_related("prepared_by", "approved_by").order_by("number"))
    return {"id": report.pk, "definition": report.definition.name, "starts_on": report.starts_on,
            "ends_on": report.ends_on, "version": report.number, "status": report.status,
            "status_label": report.get_status_display(), "figures": report.frozen,
            "versions": [{"id": v.pk, "version": v.number, "status": v.status, "reason": v.reason,
                          "differences": v.differences, "trail": _trail(v)} for v in versions]}


def _reports(request):
    require(request.user, Perm.PREPARE_REPORTS)
    return PeriodReport.objects.visible_to(request.user).select_related("definition")


@router.get("/reports", response=list[PeriodReportOut], summary="Approved period reports (frozen figures, versions)")
def list_reports(request, definition: str = "", ends_after: datetime.date | None = None):
    rows = _reports(request).filter(status=DocStatus.APPROVED).order_by("-ends_on", "-number")
    if definition:
        rows = rows.filter(definition__name=definition)
    if ends_after:
        rows = rows.filter(ends_on__gte=ends_after)
    return [_out(r) for r in rows[:100]]


@router.get("/reports/{period_report_id}", response=PeriodReportOut, summary="One period report with its versions")
def get_report(request, period_report_id: Id):
    return _out(get_visible_or_404(_reports(request), request.user, pk=period_report_id))


@router.post("/reports/{period_report_id}/approve", response=PeriodReportOut,
             summary="Approve a submitted report (a town leader other than its preparer)")
def approve_report(request, period_report_id: Id):
    report = get_visible_or_404(_reports(request), request.user, pk=period_report_id)
    return _out(services.approve(request.user, report))


@router.post("/reports/{period_report_id}/return", response=PeriodReportOut,
             summary="Return a submitted report to its preparer")
def return_report(request, period_report_id: Id, payload: ReturnIn):
    report = get_visible_or_404(_reports(request), request.user, pk=period_report_id)
    return _out(services.return_doc(request.user, report, payload.note))
