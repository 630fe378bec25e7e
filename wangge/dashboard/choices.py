from django.db import models
from django.utils.translation import gettext_lazy as _


class BriefKind(models.TextChoices):
    DAILY = "daily", _("Daily brief")
    REVIEW = "review", _("Review")
