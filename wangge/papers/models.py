"""Enforcement papers (执法文书) issued from an inspection: numbered per issuing unit, kind and year,
signed by the party (or the refusal witnessed), final once issued, voided and re-numbered to correct."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core.base import DomainModel
from wangge.core.constraints import UniqueUnless
from wangge.core.models import Area, Department
from wangge.core.visibility import ScopingSpec
from wangge.inspections.models import Inspection
from wangge.places.models import Premises
from wangge.workorders.models import WorkOrder

from .choices import PaperKind, PaperStatus


def new_public_key() -> str:
    return secrets.token_urlsafe(18)  # 144 random bits: the verification link cannot be guessed


class PaperUnit(DomainModel):
    """How a department signs its papers: the number prefix (长新市监) and the issuer's full name."""

    department = models.OneToOneField(Department, verbose_name=_("department"), on_delete=models.CASCADE,
                                      related_name="paper_unit")
    prefix = models.CharField(_("number prefix"), max_length=20,
                              help_text=_("Printed before the kind's code, e.g. 长新市监 in 长新市监责改〔2022〕15号."))
    issuer_name = models.CharField(_("issuer's name on the paper"), max_length=100, blank=True,
                                   help_text=_("Empty: the department's name."))

    class Scoping(ScopingSpec):
        everyone = True

    class Meta:
        verbose_name = _("paper-issuing unit")
        verbose_name_plural = _("paper-issuing units")
        ordering = ["department"]

    def __str__(self) -> str:
        return f"{self.department} · {self.prefix}"


class PaperCounter(models.Model):
    """The last number given per (unit, kind, year): bumped under a row lock in the same transaction
    as the paper it numbers, so numbers are distinct and leave no gap."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=PaperKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("paper number counter")
        constraints = [models.UniqueConstraint(fields=["department", "kind", "year"], name="paper_counter_once")]

    def __str__(self) -> str:
        return f"{self.department_id}:{self.kind}:{self.year}={self.last}"


class Paper(DomainModel):
    kind = models.CharField(_("kind"), max_length=16, choices=PaperKind.choices)
    inspection = models.ForeignKey(Inspection, verbose_name=_("inspection"), on_delete=models.PROTECT,
                                   related_name="papers")
    premises = models.ForeignKey(Premises, verbose_name=_("premises"), on_delete=models.PROTECT,
                                 related_name="papers")
    work_order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="papers")
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, verbose_name=_("issuing unit"), on_delete=models.PROTECT,
                                   related_name="papers")
    issuer_name = models.CharField(_("issuer"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=60, unique=True)
    issued_on = models.DateField(_("date"))
    # What the paper says, fixed when it is made: a later edit of the premises never rewrites a paper.
    content = models.JSONField(_("content"), default=dict)
    note = models.TextField(_("remarks"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PaperStatus.choices, default=PaperStatus.AWAITING)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True,
                                on_delete=models.SET_NULL, related_name="+")
    signature = models.FileField(_("signature"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    refused = models.BooleanField(_("refused to sign"), default=False)
    witness = models.CharField(_("witness"), max_length=50, blank=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("delivered by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("voided by"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    void_reason = models.CharField(_("why voided"), max_length=300, blank=True)
    replaces = models.OneToOneField("self", verbose_name=_("replaces"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaced_by")
    public_key = models.CharField(max_length=32, unique=True, default=new_public_key, editable=False)

    # The text is fixed when the paper is made and shown on its page, the signature is served by its own
    # view: the trail notes that they changed, not a copy of the text or the file's storage name.
    AUDIT_WITHHELD = frozenset({"content", "signature"})

    class Scoping(ScopingSpec):
        area = "grid"
        department = ("department", "premises__category__routes__department")
        owner = ("made_by", "inspection__submitted_by", "premises__segment__chief")
        members = "inspection__inspectors"

    class Meta:
        verbose_name = _("enforcement paper")
        verbose_name_plural = _("enforcement papers")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "kind", "year", "sequence"], name="paper_number_once"),
            # One live paper of a kind per inspection: a correction voids the old one first.
            UniqueUnless(fields=["inspection", "kind"], unless=("status", "void"),
                         name="paper_one_live_per_kind"),
            models.CheckConstraint(condition=~Q(status="issued") | Q(refused=True) | ~Q(signature=""),
                                   name="paper_issued_signed_or_refused"),
        ]
        indexes = [
            models.Index(fields=["premises", "issued_on"], name="paper_premises_date"),
            models.Index(fields=["work_order"], name="paper_work_order"),
            models.Index(fields=["inspection", "kind", "status"], name="paper_inspection_kind"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        return self.content.get("title") or self.get_kind_display()

    @property
    def is_final(self) -> bool:
        return self.status != PaperStatus.AWAITING
