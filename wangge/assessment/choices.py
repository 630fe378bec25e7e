from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectKind(models.TextChoices):
    """Who is assessed."""

    GRID_WORKER = "grid_worker", _("Grid worker")
    INSPECTOR = "inspector", _("Inspector")
    DEPARTMENT = "department", _("Department")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")


class Part(models.TextChoices):
    """Which records of a figure a drill-down lists."""

    ALL = "all", _("all counted")
    MET = "met", _("meeting the measure")


class DocStatus(models.TextChoices):
    """A period report's or a review's way from draft to locked."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("awaiting approval")
    RETURNED = "returned", _("returned for changes")
    APPROVED = "approved", _("approved and locked")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("year")
