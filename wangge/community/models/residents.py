"""Residents: the people a neighbourhood looks after. ID and phone are encrypted at rest."""


from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangge.core import crypto
from wangge.core.base import DomainModel
from wangge.core.fields import EncryptedTextField
from wangge.core.models import Area
from wangge.core.validators import id_birth_date, sex_from_id_number
from wangge.core.visibility import ScopingSpec

from ..choices import ResidentStatus, Sex
from .compounds import Compound


class Resident(DomainModel):
    # Each protected field keeps three columns: ciphertext, keyed hash (look-up, duplicates) and
    # the masked form (lists and exports never need to decrypt).
    PROTECTED_FIELDS = {"id_number": "id_number_masked", "phone": "phone_masked"}
    # Health facts: the trail records who changed them and when, not the values (docs/PRIVACY.md). The birth
    # date too: it is the eight digits the masked ID number hides, so beside it it gives the whole number.
    AUDIT_WITHHELD = frozenset({"disabled", "bedridden", "chronic_illness", "pregnant", "birth_date"})

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"))
    id_number_hash = models.CharField(max_length=64, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    phone_masked = models.CharField(_("phone"), max_length=16, blank=True, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, editable=False)
    grid = models.ForeignKey(Area, verbose_name=_("grid"), on_delete=models.PROTECT, related_name="residents")
    address = models.CharField(_("address"), max_length=200, blank=True)
    family_doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("family doctor"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="signed_residents",
    )
    status = models.CharField(_("status"), max_length=16, choices=ResidentStatus.choices,
                              default=ResidentStatus.LIVING)
    # Set by save() when the status changes: a former resident's health facts expire from this day.
    status_changed_on = models.DateField(_("status changed"), null=True, blank=True, editable=False)
    compound = models.ForeignKey(Compound, verbose_name=_("compound"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="residents")
    building = models.CharField(_("building"), max_length=20, blank=True, help_text=_("e.g. 5号"))
    room = models.CharField(_("room"), max_length=20, blank=True, help_text=_("e.g. 301"))
    household = models.CharField(_("household"), max_length=30, blank=True,
                                 help_text=_("Household number; people of one household share it."))
    doctor_signed_on = models.DateField(_("family-doctor contract signed"), null=True, blank=True)
    # Special-group flags. Health facts: shown only to roles that may reveal personal data (COMMUNITY.md).
    lives_alone = models.BooleanField(_("lives alone"), default=False)
    disabled = models.BooleanField(_("disabled"), default=False)
    bedridden = models.BooleanField(_("bedridden"), default=False)
    chronic_illness = models.BooleanField(_("chronic illness"), default=False)
    pregnant = models.BooleanField(_("pregnant"), default=False)
    low_income = models.BooleanField(_("low income"), default=False)
    # A likely duplicate merged into another record keeps its row and its trail; it leaves the lists.
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_records", editable=False)

    class Scoping(ScopingSpec):
        area = "grid"
        doctor = "family_doctor"

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        ordering = ["grid_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number_hash"], name="resident_id_number_unique",
                violation_error_message=_("A resident with this ID number is already registered."),
            ),
        ]
        indexes = [
            models.Index(fields=["grid", "name"], name="resident_grid_name"),
            models.Index(fields=["family_doctor", "name"], name="resident_doctor_name"),
            models.Index(fields=["compound", "building", "room"], name="resident_compound_building"),
            models.Index(fields=["compound", "birth_date"], name="resident_compound_birth"),
            # The register's order over the records not merged away: a page's ids, the count and a name
            # search read from this index alone.
            models.Index(fields=["grid", "name", "id"], condition=Q(merged_into__isnull=True),
                         name="resident_current_grid_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        # Before the constraint checks of full_clean, so the unique hash is compared.
        if self.id_number:
            self.derive_protected_columns()

    def save(self, *args, **kwargs):
        self.derive_protected_columns()
        self.track_status(getattr(self, "_audit_snapshot", {}).get("status"))
        if kwargs.get("update_fields") and "status" in kwargs["update_fields"]:
            kwargs["update_fields"] = [*kwargs["update_fields"], "status_changed_on"]
        super().save(*args, **kwargs)

    def track_status(self, old_status: str | None) -> None:
        """Date a change of status (moved out, deceased, back again): retention counts from it."""
        from django.utils import timezone

        if self.status != old_status:
            self.status_changed_on = None if self.status == ResidentStatus.LIVING else timezone.localdate()

    def derive_protected_columns(self) -> None:
        self.id_number_hash = crypto.keyed_hash(self.id_number)
        self.id_number_masked = crypto.mask_id_number(self.id_number)
        self.birth_date = id_birth_date(self.id_number)
        self.sex = sex_from_id_number(self.id_number)
        self.phone_hash = crypto.keyed_hash(self.phone) if self.phone else ""
        self.phone_masked = crypto.mask_phone(self.phone) if self.phone else ""

    FLAGS = ("lives_alone", "disabled", "bedridden", "chronic_illness", "pregnant", "low_income")
    AGED_FROM = 60

    def flag_labels(self) -> list[str]:
        labels = [str(self._meta.get_field(f).verbose_name) for f in self.FLAGS if getattr(self, f)]
        return ([str(_("aged"))] if self.age >= self.AGED_FROM else []) + labels

    @property
    def is_special(self) -> bool:
        """Special groups (特殊群体): the aged living alone, and anyone with a care flag."""
        return (self.lives_alone and self.age >= self.AGED_FROM) or any(
            getattr(self, f) for f in ("disabled", "bedridden", "chronic_illness", "pregnant", "low_income"))

    @property
    def age(self) -> int:
        from django.utils import timezone

        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
