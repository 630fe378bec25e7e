"""Residents: the people a neighbourhood looks after. ID and phone are encrypted at rest."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core import crypto
from wangge.core.base import DomainModel
from wangge.core.fields import EncryptedTextField
from wangge.core.models import Area
from wangge.core.validators import id_birth_date, sex_from_id_number
from wangge.core.visibility import ScopingSpec

from .choices import ResidentStatus, Sex


class Resident(DomainModel):
    # Each protected field keeps three columns: ciphertext, keyed hash (look-up, duplicates) and
    # the masked form (lists and exports never need to decrypt).
    PROTECTED_FIELDS = {"id_number": "id_number_masked", "phone": "phone_masked"}

    name = models.CharField(_("name"), max_length=50)
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
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        # Before the constraint checks of full_clean, so the unique hash is compared.
        if self.id_number:
            self.derive_protected_columns()

    def save(self, *args, **kwargs):
        self.derive_protected_columns()
        super().save(*args, **kwargs)

    def derive_protected_columns(self) -> None:
        self.id_number_hash = crypto.keyed_hash(self.id_number)
        self.id_number_masked = crypto.mask_id_number(self.id_number)
        self.birth_date = id_birth_date(self.id_number)
        self.sex = sex_from_id_number(self.id_number)
        self.phone_hash = crypto.keyed_hash(self.phone) if self.phone else ""
        self.phone_masked = crypto.mask_phone(self.phone) if self.phone else ""

    @property
    def age(self) -> int:
        from django.utils import timezone

        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
