from django import forms
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import BootstrapMixin, NoEchoInput, VersionedForm
from wangge.core.models import Area, AreaLevel, Department
from wangge.core.validators import validate_credit_code, validate_phone
from wangge.core.widgets import DateInput

from .choices import DemandCategory, Impact, ImpactArea, OperatingStatus
from .models import DemandRoute, Enterprise, Park


class ParkForm(VersionedForm):
    class Meta:
        model = Park
        fields = ["name", "area", "department", "address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.choosable_by(user).exclude(level=AreaLevel.TOWN)
        self.fields["department"].queryset = Department.objects.choosable_by(user)

    def _post_clean(self):
        # The service validates the row and its scope (economy.services.save_park).
        construct_instance(self, self.instance, self._meta.fields)


class EnterpriseForm(VersionedForm):
    contact_phone = forms.CharField(label=_("contact phone"), max_length=30, required=False, widget=NoEchoInput)

    class Meta:
        model = Enterprise
        fields = ["name", "credit_code", "industry", "size", "address", "grid", "park", "contact_name",
                  "contact_phone", "employees", "status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Area.objects.choosable_by(user).filter(level=AreaLevel.GRID)
        self.fields["park"].queryset = Park.objects.visible_to(user)
        if self.instance.pk:
            self.fields["contact_phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.contact_phone_masked or "—"}
            self.initial["contact_phone"] = ""

    def clean_credit_code(self):
        return validate_credit_code(self.cleaned_data["credit_code"])

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"]
        if not value:
            return self.instance.contact_phone if self.instance.pk else ""
        return validate_phone(value)

    def _post_clean(self):
        # The service validates the whole row and its scope (economy.services.save_enterprise).
        construct_instance(self, self.instance, self._meta.fields)


class VisitForm(BootstrapMixin, forms.Form):
    visited_on = forms.DateField(label=_("date"), widget=DateInput())
    visitors = forms.CharField(label=_("visitors"), max_length=200)
    operating_status = forms.ChoiceField(label=_("operating status"), choices=OperatingStatus.choices)
    staff_back_percent = forms.IntegerField(label=_("staff back at work (%)"), min_value=0, max_value=100,
                                            required=False)
    impact = forms.ChoiceField(label=_("impact of the epidemic"), choices=Impact.choices)
    impact_areas = forms.MultipleChoiceField(label=_("where it hurts"), choices=ImpactArea.choices, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    problems = forms.CharField(label=_("problems"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
        self.fields["visited_on"].initial = timezone.localdate()

    def clean_visited_on(self):
        value = self.cleaned_data["visited_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of a visit cannot be in the future."))
        return value


class DemandForm(BootstrapMixin, forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=[("", "—"), *DemandCategory.choices], required=False)
    text = forms.CharField(label=_("demand"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("text", "").strip() and not cleaned.get("category"):
            self.add_error("category", _("Choose a category."))
        if cleaned.get("category") and not cleaned.get("text", "").strip():
            self.add_error("text", _("Describe the demand."))
        return cleaned


DemandFormSet = forms.formset_factory(DemandForm, extra=3, max_num=10)


class RouteForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = DemandRoute
        fields = ["department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
        self.fields["department"].queryset = Department.objects.filter(is_active=True, town=self.instance.town_id)
        self.fields["version"].initial = self.instance.version
