from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class ResidentStatus(models.TextChoices):
    LIVING = "living", _("living here")
    MOVED_OUT = "moved_out", _("moved out")
    DECEASED = "deceased", _("deceased")


class GateControl(models.TextChoices):
    CLOSED = "closed", pgettext_lazy("gate control", "closed")
    STAFFED = "staffed", _("staffed, checks on entry")
    ENTRY_EXIT = "entry_exit", _("staffed, checks on entry and exit")
    OPEN = "open", pgettext_lazy("gate control", "open")


class DuplicateReason(models.TextChoices):
    SAME_NAME_BIRTH = "same_name_birth", _("same name and birth date in the same compound")
    NEAR_NAME = "near_name", _("near name, same birth date in the same compound")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("suggestion status", "open")
    MERGED = "merged", _("merged")
    DISMISSED = "dismissed", _("not the same person")


class ScreeningStatus(models.TextChoices):
    NOT_YET = "not_yet", pgettext_lazy("screening", "not yet")
    TESTED = "tested", _("tested")
    EXEMPT = "exempt", _("exempt")
    AWAY = "away", _("away")


class Condition(models.TextChoices):
    GOOD = "good", _("good")
    FAIR = "fair", _("fair")
    POOR = "poor", _("poor")
    URGENT = "urgent", _("needs help now")


class NeedKind(models.TextChoices):
    DAILY_LIFE = "daily_life", _("daily life")
    MEDICAL = "medical", _("medical care")
    SUPPLIES = "supplies", _("supplies")


class SiteKind(models.TextChoices):
    OFFICE = "office", _("neighbourhood office")
    COMPOUND = "compound", _("compound")


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("receipt")
    ISSUE = "issue", _("issue")
    DISTRIBUTION = "distribution", _("distribution")
