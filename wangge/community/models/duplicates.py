"""Likely duplicates among residents: suggested by rule, decided by a person (merge or dismiss)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from wangge.core.base import DomainModel
from wangge.core.visibility import ScopingSpec

from ..choices import DuplicateReason, SuggestionStatus
from .residents import Resident


class DuplicateSuggestion(DomainModel):
    first = models.ForeignKey(Resident, verbose_name=_("record"), on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Resident, verbose_name=_("likely the same person"), on_delete=models.CASCADE,
                               related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=DuplicateReason.choices)
    status = models.CharField(_("status"), max_length=12, choices=SuggestionStatus.choices,
                              default=SuggestionStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Scoping(ScopingSpec):
        area = "first__grid"

    class Meta:
        verbose_name = _("likely duplicate")
        verbose_name_plural = _("likely duplicates")
        ordering = ["status", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_pair_once"),
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="duplicate_pair_ordered"),
        ]
        indexes = [models.Index(fields=["status", "first"], name="duplicate_status")]

    def __str__(self) -> str:
        return f"{self.first} / {self.second}"
