from django.db import models
from django.utils.translation import gettext_lazy as _


class PremisesStatus(models.TextChoices):
    OPEN = "open", _("open")
    SUSPENDED = "suspended", _("suspended for rectification")
    SHUT = "shut", _("shut down")
    CLOSED = "closed", _("closed for business")


class VenueCodeStatus(models.TextChoices):
    NOT_APPLIED = "not_applied", _("not applied for")
    APPLIED = "applied", _("applied for")
    POSTED = "posted", _("posted")


class Side(models.TextChoices):
    BOTH = "both", _("both sides")
    ODD = "odd", _("odd numbers")
    EVEN = "even", _("even numbers")


class Shift(models.TextChoices):
    DAY = "day", _("day")
    NIGHT = "night", _("night")
    BOTH = "both", _("day and night")


class RiskBand(models.TextChoices):
    """A premises' risk band; the score behind it is computed by the inspections app (risk.py)."""

    LOW = "low", _("low risk")
    MEDIUM = "medium", _("medium risk")
    HIGH = "high", _("high risk")
