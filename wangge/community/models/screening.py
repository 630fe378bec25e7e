"""Screening rounds (核酸筛查): a date, the compounds in scope, and one result row per resident.

The roster is taken when the round opens (every resident living in a compound in scope), so the
figures of a round never move because someone registered later; `add_to_round` adds latecomers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.base import DomainModel, DomainQuerySet
from wangge.core.fields import EncryptedTextField
from wangge.core.models import Area
from wangge.core.visibility import ScopingSpec

from ..choices import ScreeningStatus
from .compounds import Compound
from .residents import Resident


class RoundQuerySet(DomainQuerySet):
    def visible_to(self, user):
        """A round is seen by whoever sees one of its compounds (a grid worker sees the rounds of their
        grid's compounds, and only those compounds' rows inside them)."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        compounds = Compound.objects.visible_to(user).values("pk")
        return self.filter(Q(pk__in=ScreeningRound.compounds.through.objects.filter(
            compound__in=compounds).values("screeninground_id")) | Q(pk__in=super().visible_to(user).values("pk")))


class ScreeningRound(DomainModel):
    name = models.CharField(_("round"), max_length=100)
    date = models.DateField(_("date"))
    area = models.ForeignKey(Area, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("The neighbourhood (or town) that runs the round."))
    compounds = models.ManyToManyField(Compound, verbose_name=_("compounds in scope"), related_name="rounds")
    notes = models.TextField(_("notes"), blank=True)

    objects = RoundQuerySet.as_manager()

    class Scoping(ScopingSpec):
        area = "area"

    class Meta:
        verbose_name = _("screening round")
        verbose_name_plural = _("screening rounds")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["date"], name="screening_round_date")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class ScreeningResult(DomainModel):
    AUDIT_WITHHELD = frozenset({"exempt_reason"})  # often a health fact (bedridden, in hospital)

    round = models.ForeignKey(ScreeningRound, verbose_name=_("round"), on_delete=models.CASCADE,
                              related_name="results")
    # Empty once the result is past its retention (`wangge purge`): the row still counts in the round.
    resident = models.ForeignKey(Resident, verbose_name=_("resident"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="screening_results")
    # Where the resident lived when the round opened: the door-knocking list goes by these.
    compound = models.ForeignKey(Compound, verbose_name=_("compound"), on_delete=models.PROTECT, related_name="+")
    building = models.CharField(_("building"), max_length=20, blank=True)
    status = models.CharField(_("result"), max_length=10, choices=ScreeningStatus.choices,
                              default=ScreeningStatus.NOT_YET)
    exempt_reason = EncryptedTextField(_("reason for exemption"), max_length=100, blank=True)  # encrypted at rest
    tested_at = models.DateTimeField(_("sampled at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")

    class Scoping(ScopingSpec):
        area = "compound__grid"

    class Meta:
        verbose_name = _("screening result")
        verbose_name_plural = _("screening results")
        ordering = ["compound_id", "building", "resident__room", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "resident"], name="screening_once_per_round"),
            models.CheckConstraint(condition=~Q(status=ScreeningStatus.EXEMPT) | ~Q(exempt_reason=""),
                                   name="screening_exempt_has_reason",
                                   violation_error_message=_("Give the reason for the exemption.")),
        ]
        indexes = [models.Index(fields=["round", "compound", "status"], name="screening_round_compound"),
                   models.Index(fields=["resident"], name="screening_resident")]

    def __str__(self) -> str:
        return f"{self.round} {self.resident or '—'}"
