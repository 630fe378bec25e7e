from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportCategory(models.TextChoices):
    """What a resident reports (随手拍 / 12345): each is routed to a department by ReportRoute."""

    SANITATION = "sanitation", _("environmental sanitation")
    STREET_ORDER = "street_order", _("street order and stalls")
    ROADS = "roads", _("roads and public facilities")
    NOISE = "noise", _("noise nuisance")
    SAFETY = "safety", _("safety hazard")
    BUILDING = "building", _("illegal construction")
    FOOD = "food", _("food safety")
    EPIDEMIC = "epidemic", _("epidemic prevention")
    OTHER = "other", _("other matters")


class ReportChannel(models.TextChoices):
    WEB = "web", _("reported online")
    HOTLINE = "hotline", _("12345 hotline")


class PublicStage(models.TextChoices):
    """What the public status page says of an order: three steps, nothing of who or why."""

    RECEIVED = "received", pgettext_lazy("report stage", "received")
    HANDLING = "handling", pgettext_lazy("report stage", "being handled")
    DONE = "done", pgettext_lazy("report stage", "handled")
