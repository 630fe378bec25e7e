"""The verbs of assessment and reporting. Every change goes through here (pages, API, demo alike):
explicit actor, permission checked, one transaction, the audit trail by the models.

A period report or a review is prepared (draft), submitted (its figures frozen then), and approved by
a town leader who is not its preparer (then locked), or returned to the preparer with a reason. A
correction of an approved report is a new version that shows its differences from the one before."""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core import numbering
from wangge.core.roles import Perm
from wangge.core.services import require, save_versioned
from wangge.workorders.notify import notify, town_leaders

from . import content
from .choices import DocStatus, PeriodKind
from .indicators import BY_KEY
from .models import PeriodReport, ReportDefinition, Review, ReviewCounter, Scheme

MAX_WEIGHT = 100
REVIEW_CODE = "复盘"


# The scheme ----------------------------------------------------------------------------------------

def _check_weights(weights: dict) -> dict:
    clean = {}
    for key, weight in weights.items():
        if key not in BY_KEY:
            raise ValidationError({"weights": _("There is no indicator %(key)s.") % {"key": key}})
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= MAX_WEIGHT:
            raise ValidationError({"weights": _("A weight is a whole number from 0 to 100.")})
        clean[key] = weight
    if not any(clean.values()):
        raise ValidationError({"weights": _("Give at least one indicator a weight.")})
    return clean


def _check_period(start: datetime.date, end: datetime.date) -> None:
    if start > end:
        raise ValidationError({"ends_on": _("The first day must not be after the last day.")})


def save_scheme(actor, scheme: Scheme | None, *, name: str, starts_on, ends_on, weights: dict,
                version: int | None = None) -> Scheme:
    require(actor, Perm.MANAGE_ASSESSMENT)
    _check_period(starts_on, ends_on)
    weights = _check_weights(weights)
    with transaction.atomic():
        if scheme is None:
            return Scheme.objects.create(name=name, starts_on=starts_on, ends_on=ends_on, weights=weights)
        scheme.name, scheme.starts_on, scheme.ends_on, scheme.weights = name, starts_on, ends_on, weights
        save_versioned(scheme, version, ["name", "starts_on", "ends_on", "weights"])
        return scheme


def save_definition(actor, definition: ReportDefinition | None, *, name: str, period: str, figures: list,
                    indicators: list, areas, version: int | None = None) -> ReportDefinition:
    require(actor, Perm.MANAGE_ASSESSMENT)
    unknown = [k for k in indicators if k not in BY_KEY]
    if unknown:
        raise ValidationError({"indicators": _("There is no indicator %(key)s.") % {"key": unknown[0]}})
    if not figures and not indicators:
        raise ValidationError({"figures": _("Choose at least one figure or indicator.")})
    with transaction.atomic():
        if definition is None:
            definition = ReportDefinition.objects.create(name=name, period=period, figures=figures,
                                                         indicators=indicators)
        else:
            definition.name, definition.period = name, period
            definition.figures, definition.indicators = figures, indicators
            save_versioned(definition, version, ["name", "period", "figures", "indicators"])
        definition.areas.set(areas)
    return definition


# Periods of a report definition ---------------------------------------------------------------------

def period_bounds(kind: str, start: datetime.date) -> datetime.date:
    """The last day of the month, quarter or year that starts on `start`; refuses any other first day."""
    if start.day != 1 or (kind == PeriodKind.QUARTER and start.month % 3 != 1) or (
            kind == PeriodKind.YEAR and start.month != 1):
        raise ValidationError({"starts_on": _("The period must start on the first day of a %(kind)s.") % {
            "kind": PeriodKind(kind).label}})
    months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[kind]
    last_month = start.month + months - 1
    return datetime.date(start.year, last_month, calendar.monthrange(start.year, last_month)[1])


# Period reports -------------------------------------------------------------------------------------

def prepare_report(actor, definition: ReportDefinition, starts_on: datetime.date) -> PeriodReport:
    require(actor, Perm.PREPARE_REPORTS)
    ends_on = period_bounds(definition.period, starts_on)
    if ends_on >= timezone.localdate():
        raise ValidationError({"starts_on": _("A period can be reported once it has ended.")})
    area = content.town()
    with transaction.atomic():
        if PeriodReport.objects.filter(definition=definition, starts_on=starts_on, ends_on=ends_on).exists():
            raise ValidationError({"starts_on": _("This period has a report already: correct it instead.")})
        return PeriodReport.objects.create(definition=definition, starts_on=starts_on, ends_on=ends_on, area=area,
                                           prepared_by=actor,
                                           frozen=content.report_figures(definition, starts_on, ends_on))


def correct_report(actor, report: PeriodReport, reason: str) -> PeriodReport:
    """A new version of an approved report, prepared again from the records as they are now."""
    require(actor, Perm.PREPARE_REPORTS)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is corrected.")})
    with transaction.atomic():
        report = PeriodReport.objects.select_for_update().get(pk=report.pk)
        if report.status != DocStatus.APPROVED or hasattr(report, "correction"):
            raise ValidationError({"status": _("Only the latest approved version can be corrected.")})
        return PeriodReport.objects.create(
            definition=report.definition, starts_on=report.starts_on, ends_on=report.ends_on, area=report.area,
            prepared_by=actor, number=report.number + 1, previous=report, reason=reason.strip()[:300],
            frozen=content.report_figures(report.definition, report.starts_on, report.ends_on))


def _freeze_report(report: PeriodReport) -> list[str]:
    report.frozen = content.report_figures(report.definition, report.starts_on, report.ends_on)
    if report.previous is not None:
        report.differences = content.differences(report.previous.frozen, report.frozen)
    return ["frozen", "differences"]


def _freeze_review(review: Review) -> list[str]:
    review.frozen = content.review_figures(review.starts_on, review.ends_on, review.campaign)
    return ["frozen"]


# Shared: submit, approve, return --------------------------------------------------------------------

def _link(doc) -> str:
    name = "assessment:report_detail" if isinstance(doc, PeriodReport) else "assessment:review_detail"
    return reverse(name, args=[doc.pk])


def _key(doc, step: str) -> str:
    return f"assessment:{type(doc).__name__.lower()}:{doc.pk}:{step}:{doc.version}"


def _locked(doc):
    return type(doc).objects.select_for_update().get(pk=doc.pk)


def submit(actor, doc, version: int | None = None):
    """Freeze the figures (computed now, never again) and ask the town leaders other than the preparer."""
    require(actor, Perm.PREPARE_REPORTS)
    with transaction.atomic():
        doc = _locked(doc)
        if doc.status not in (DocStatus.DRAFT, DocStatus.RETURNED):
            raise ValidationError({"status": _("Only a draft or a returned one can be submitted.")})
        if doc.prepared_by_id != actor.pk:
            raise PermissionDenied
        fields = _freeze_report(doc) if isinstance(doc, PeriodReport) else _freeze_review(doc)
        doc.status, doc.submitted_at, doc.return_note = DocStatus.SUBMITTED, timezone.now(), ""
        save_versioned(doc, version if version is not None else doc.version,
                       [*fields, "status", "submitted_at", "return_note"])
        approvers = [u for u in town_leaders(doc.area) if u.pk != actor.pk]
        notify(approvers, _("%(what)s awaits your approval: %(name)s") % {
            "what": doc._meta.verbose_name, "name": str(doc)}, key=_key(doc, "submitted"), link=_link(doc))
    return doc


def _check_approver(actor, doc) -> None:
    require(actor, Perm.APPROVE_REPORTS)
    if doc.prepared_by_id == actor.pk:
        raise ValidationError({"approved_by": _("The preparer cannot approve it: another town leader must.")})
    if doc.status != DocStatus.SUBMITTED:
        raise ValidationError({"status": _("Only a submitted one awaiting approval can be approved or returned.")})


def approve(actor, doc, version: int | None = None):
    """Lock it (and number a review: 文号). The figures stay those frozen at submission."""
    with transaction.atomic():
        doc = _locked(doc)
        _check_approver(actor, doc)
        fields = ["status", "approved_by", "approved_at"]
        doc.status, doc.approved_by, doc.approved_at = DocStatus.APPROVED, actor, timezone.now()
        if isinstance(doc, Review):
            doc.year = doc.ends_on.year
            doc.sequence = numbering.next_number(ReviewCounter, year=doc.year)
            doc.doc_number = numbering.format_number(doc.area.name, REVIEW_CODE, doc.year, doc.sequence)
            fields += ["year", "sequence", "doc_number"]
        save_versioned(doc, version if version is not None else doc.version, fields)
        notify([doc.prepared_by], _("Approved: %(name)s") % {"name": str(doc)}, key=_key(doc, "approved"),
               link=_link(doc))
    return doc


def return_doc(actor, doc, note: str, version: int | None = None):
    if not note.strip():
        raise ValidationError({"note": _("Say what must change.")})
    with transaction.atomic():
        doc = _locked(doc)
        _check_approver(actor, doc)
        doc.status, doc.return_note = DocStatus.RETURNED, note.strip()[:300]
        save_versioned(doc, version if version is not None else doc.version, ["status", "return_note"])
        notify([doc.prepared_by], _("Returned for changes: %(name)s") % {"name": str(doc)},
               key=_key(doc, "returned"), link=_link(doc))
    return doc


# Reviews --------------------------------------------------------------------------------------------

def draft_review(actor, *, title: str, starts_on=None, ends_on=None, campaign=None) -> Review:
    """A draft for a period or a campaign (its days), with its figures as of the end, to be written up."""
    require(actor, Perm.PREPARE_REPORTS)
    if campaign is not None:
        if not type(campaign).objects.visible_to(actor).filter(pk=campaign.pk).exists():
            raise ValidationError({"campaign": _("Not found, or outside your area.")})
        starts_on, ends_on = campaign.starts_on, campaign.ends_on
    if starts_on is None or ends_on is None:
        raise ValidationError({"starts_on": _("Choose a period or a campaign.")})
    _check_period(starts_on, ends_on)
    if ends_on >= timezone.localdate():
        raise ValidationError({"ends_on": _("A period can be reviewed once it has ended.")})
    with transaction.atomic():
        return Review.objects.create(title=title, starts_on=starts_on, ends_on=ends_on, campaign=campaign,
                                     area=content.town(), prepared_by=actor,
                                     frozen=content.review_figures(starts_on, ends_on, campaign))


def edit_review(actor, review: Review, *, title: str, text: str, version: int | None) -> Review:
    require(actor, Perm.PREPARE_REPORTS)
    with transaction.atomic():
        if review.status not in (DocStatus.DRAFT, DocStatus.RETURNED):
            raise ValidationError({"status": _("A submitted or approved review can no longer be edited.")})
        if review.prepared_by_id != actor.pk:
            raise PermissionDenied
        review.title, review.text = title, text
        save_versioned(review, version, ["title", "text"])
    return review
