from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import NoEchoInput, VersionedForm
from wangge.core.models import Area, AreaLevel, User
from wangge.core.roles import Role
from wangge.core.validators import validate_id_number, validate_phone
from wangge.core.widgets import DateInput

from .models import Compound, Resident


class ResidentForm(VersionedForm):
    id_number = forms.CharField(label=_("ID number"), max_length=40, widget=NoEchoInput)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False, widget=NoEchoInput)

    class Meta:
        model = Resident
        fields = ["name", "id_number", "phone", "grid", "compound", "building", "room", "household", "address",
                  "family_doctor", "doctor_signed_on", "status", *Resident.FLAGS]
        widgets = {"doctor_signed_on": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Area.objects.visible_to(user).filter(level=AreaLevel.GRID)
        self.fields["compound"].queryset = Compound.objects.visible_to(user).select_related("grid")
        self.fields["family_doctor"].queryset = User.objects.filter(
            role_assignments__role=Role.FAMILY_DOCTOR, is_active=True).distinct()
        if self.instance.pk:
            # The form never carries a full number to the browser: blank means "unchanged".
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.id_number_masked}
            self.fields["phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.phone_masked or "—"}
            self.initial["id_number"] = ""
            self.initial["phone"] = ""

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        if not value and self.instance.pk:
            return self.instance.id_number
        return validate_id_number(value)

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        if not value:
            return self.instance.phone if self.instance.pk else ""
        return validate_phone(value)

    def _post_clean(self):
        # Uniqueness is checked by the service's full_clean on the derived hash.
        pass


class CompoundForm(VersionedForm):
    class Meta:
        model = Compound
        fields = ["name", "grid", "address", "buildings", "households", "population"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Area.objects.visible_to(user).filter(level=AreaLevel.GRID)

    def _post_clean(self):
        # The service checks scope and the unique name (neighbourhood is derived there).
        pass
