from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SiteType(models.TextChoices):
    ROUTINE = "routine", _("routine")
    TEMPORARY = "temporary", _("temporary")
    MOBILE = "mobile", _("mobile")


class SiteStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("sampling site status", "open")
    PAUSED = "paused", pgettext_lazy("sampling site status", "paused")
    CLOSED = "closed", pgettext_lazy("sampling site status", "closed")


class ShiftName(models.TextChoices):
    """The sampling shifts of a day; a site open past midnight books those hours to the evening shift."""

    MORNING = "morning", _("morning shift")
    AFTERNOON = "afternoon", _("afternoon shift")
    EVENING = "evening", _("evening shift")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# The one-tap waiting times on the staff phone page; the last one means "this long or more".
WAIT_BUTTONS = (0, 10, 20, 30, 45, 60)
