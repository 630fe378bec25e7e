from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangge.places.choices import RiskBand  # noqa: F401  (re-exported: a premises' band, computed here)


class ItemKind(models.TextChoices):
    YES_NO = "yes_no", _("yes / no")
    NUMBER = "number", _("number")
    CHOICE = "choice", _("choice")
    TEXT = "text", _("text")
    PHOTO = "photo", _("photo")


class Severity(models.TextChoices):
    MINOR = "minor", _("minor")
    MAJOR = "major", _("major")
    CRITICAL = "critical", _("critical")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("under way")
    CLOSED = "closed", pgettext_lazy("campaign status", "closed")


class CampaignKind(models.TextChoices):
    ROUND = "round", _("inspection round")
    LOOKBACK = "lookback", _("look-back round")


class Shift(models.TextChoices):
    DAY = "day", _("day")
    NIGHT = "night", _("night")


class TaskState(models.TextChoices):
    PLANNED = "planned", _("to do")
    DONE = "done", _("inspected")


class TaskReason(models.TextChoices):
    SCOPE = "scope", _("in the campaign's scope")
    FINDING = "finding", _("had a finding")
    NOT_INSPECTED = "not_inspected", _("not yet inspected")
    SAMPLED = "sampled", _("compliant, sampled")
    REINSPECTION = "reinspection", _("re-inspection at the deadline")
    SCAN_FLAG = "scan_flag", _("venue code posted but not scanned")


class Outcome(models.TextChoices):
    COMPLIANT = "compliant", _("compliant")
    FIXED = "fixed", _("fixed on the spot")
    RECTIFICATION = "rectification", _("rectification order")
    SHUTDOWN = "shutdown", _("shutdown")


class InspectionKind(models.TextChoices):
    ROUTINE = "routine", _("inspection")
    REINSPECTION = "reinspection", _("re-inspection")


class LadderStep(models.TextChoices):
    """The escalation ladder for a repeated problem, in order."""

    REMINDER = "reminder", _("reminder")
    VERBAL_WARNING = "verbal_warning", _("verbal warning")
    INTERVIEW = "interview", _("recorded interview")
    SUSPENSION = "suspension", _("suspension")
    CASE_FILED = "case_filed", _("case filed with law enforcement")


class FlagCode(models.TextChoices):
    """Why a submission looks implausible (plausibility.py). The submission is kept and counted; a
    reviewer confirms or voids it."""

    FAR_FROM_PREMISES = "far_from_premises", _("far from the premises")
    BEFORE_CAMPAIGN = "before_campaign", _("before the campaign began")
    IN_FUTURE = "in_future", _("in the future")
    IMPLAUSIBLE_TRAVEL = "implausible_travel", _("too far from the previous inspection in too little time")


class FlagReview(models.TextChoices):
    """A flagged inspection's review: pending (counted, in doubt), confirmed (counted), voided (not
    counted). An inspection without flags has none (empty)."""

    PENDING = "pending", _("to be checked")
    CONFIRMED = "confirmed", _("confirmed")
    VOIDED = "voided", _("voided")
