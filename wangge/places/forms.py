from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wangge.core.coords import LABELS, System, stored_point
from wangge.core.forms import BootstrapMixin, NoEchoInput, VersionedForm
from wangge.core.models import Area, AreaLevel, User
from wangge.core.roles import Role
from wangge.core.validators import normalise, validate_credit_code, validate_phone

from .choices import PremisesStatus
from .models import Premises, PremisesCategory, RoadSegment


class PremisesForm(VersionedForm):
    contact_phone = forms.CharField(label=_("contact phone"), max_length=30, required=False, widget=NoEchoInput)
    coordinate_system = forms.ChoiceField(
        label=_("coordinate system"), choices=[(k.value, LABELS[k]) for k in System], initial=System.WGS84,
        required=False, help_text=_("Where the coordinates were read: 高德 and 腾讯 use GCJ-02, 百度 BD-09. "
                                    "They are stored as WGS-84."))

    class Meta:
        model = Premises
        fields = ["name", "category", "is_key", "address", "grid", "segment", "building", "credit_code",
                  "licence_number", "operator", "contact_name", "contact_phone", "opens_at", "closes_at",
                  "venue_code_status", "venue_code_number", "staff_count", "latitude", "longitude",
                  "coordinate_system", "notes"]
        widgets = {"opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].required = False
        self.fields["grid"].help_text = _("Empty: taken from the road segment or the coordinates.")
        self.fields["grid"].queryset = Area.objects.visible_to(user).filter(level=AreaLevel.GRID)
        self.fields["segment"].queryset = RoadSegment.objects.visible_to(user)
        self.fields["building"].queryset = Premises.objects.visible_to(user).filter(category__code="office")
        self.fields["category"].queryset = PremisesCategory.objects.all()
        if self.instance.pk:
            self.fields["contact_phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.contact_phone_masked or "—"}
            self.initial["contact_phone"] = ""

    def clean_credit_code(self):
        value = self.cleaned_data["credit_code"]
        return validate_credit_code(value) if normalise(value) else ""

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"]
        if not value:
            return self.instance.contact_phone if self.instance.pk else ""
        return validate_phone(value)

    def clean(self):
        cleaned = super().clean()
        system = cleaned.get("coordinate_system") or System.WGS84
        if cleaned.get("latitude") is not None and cleaned.get("longitude") is not None:
            cleaned["latitude"], cleaned["longitude"] = stored_point(cleaned["latitude"], cleaned["longitude"], system)
        return cleaned

    def _post_clean(self):
        # The service validates the whole row (and its scope); see places.services.
        pass


class SegmentForm(VersionedForm):
    class Meta:
        model = RoadSegment
        fields = ["road", "from_number", "to_number", "side", "grid", "chief", "notes"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Area.objects.visible_to(user).filter(level=AreaLevel.GRID)
        self.fields["chief"].queryset = User.objects.filter(
            role_assignments__role=Role.GRID_WORKER, is_active=True).distinct()

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("from_number"), cleaned.get("to_number")
        if low is not None and high is not None and low > high:
            raise ValidationError({"to_number": _("The first house number must not exceed the last.")})
        return cleaned


class StatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("operating status"), choices=PremisesStatus.choices)
    reason = forms.CharField(label=_("reason or legal basis"), max_length=200, required=False)
    decision = forms.CharField(label=_("decision document"), max_length=200, required=False,
                               help_text=_("Only to lift a shutdown by the town's decision, e.g. 新泾府决〔2022〕3号."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
