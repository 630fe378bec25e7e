"""Forms of the vaccination pages; each hands its cleaned data to a service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import BootstrapMixin, VersionedForm
from wangge.core.models import Area, AreaLevel, Department
from wangge.core.widgets import DateInput

from .choices import (
    MAX_DOSE_NUMBER,
    ContactMethod,
    ContactResult,
    Contraindication,
    FollowUpResult,
    Reason,
    Severity,
    VaccineType,
    Willingness,
)
from .models import VaccinationPoint

DATE = {"widget": DateInput()}


class Styled(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class CensusForm(Styled):
    reason = forms.ChoiceField(label=_("census reason"), choices=Reason.choices)
    contraindication = forms.ChoiceField(label=_("contraindication"), required=False,
                                         choices=[("", "—"), *Contraindication.choices])
    until = forms.DateField(label=_("until"), required=False, **DATE,
                            help_text=_("A temporary contraindication holds until this date."))
    willingness = forms.ChoiceField(label=_("willingness"), choices=Willingness.choices)
    asked_on = forms.DateField(label=_("date asked"), required=False, **DATE)
    notes = forms.CharField(label=_("notes"), max_length=200, required=False)


class ContactForm(Styled):
    method = forms.ChoiceField(label=_("how"), choices=ContactMethod.choices)
    result = forms.ChoiceField(label=_("result"), choices=ContactResult.choices)
    contacted_on = forms.DateField(label=_("date"), required=False, **DATE)
    notes = forms.CharField(label=_("notes"), max_length=200, required=False)
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)


class AppointmentForm(Styled):
    point = forms.ModelChoiceField(label=_("vaccination point"), queryset=VaccinationPoint.objects.filter(active=True))
    date = forms.DateField(label=_("date"), **DATE)
    at_home = forms.BooleanField(label=_("at home (bedridden)"), required=False)


class DoseForm(Styled):
    number = forms.IntegerField(label=_("dose number"), min_value=1, max_value=MAX_DOSE_NUMBER)
    given_on = forms.DateField(label=_("date given"), **DATE)
    vaccine_type = forms.ChoiceField(label=_("vaccine type"), choices=VaccineType.choices)
    product = forms.CharField(label=_("product"), max_length=100, required=False)
    site = forms.CharField(label=_("where given"), max_length=100, required=False)
    batch = forms.CharField(label=_("batch"), max_length=50, required=False)


class VoidForm(Styled):
    reason = forms.CharField(label=_("reason for voiding"), min_length=2, max_length=200)


class CheckInForm(Styled):
    appointment = forms.IntegerField(widget=forms.HiddenInput, required=False)
    resident = forms.IntegerField(widget=forms.HiddenInput)


class VaccinateForm(Styled):
    vaccine_type = forms.ChoiceField(label=_("vaccine type"), choices=VaccineType.choices)
    product = forms.CharField(label=_("product"), max_length=100, required=False)
    batch = forms.CharField(label=_("batch"), max_length=50, required=False)


class ReleaseForm(Styled):
    reaction = forms.CharField(label=_("adverse reaction"), max_length=200, required=False)
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices, required=False)
    handling = forms.CharField(label=_("how it was handled"), max_length=200, required=False)


class FollowUpForm(Styled):
    result = forms.ChoiceField(label=_("result"), choices=FollowUpResult.choices)
    notes = forms.CharField(label=_("notes"), max_length=200, required=False)


class PointForm(VersionedForm):
    class Meta:
        model = VaccinationPoint
        fields = ["name", "address", "grid", "health_centre", "active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The user's grids, and the one the point stands in (kept when someone from elsewhere edits it).
        current = Area.objects.filter(pk=self.instance.grid_id or 0)
        self.fields["grid"].queryset = (Area.objects.visible_to(user) | current).filter(level=AreaLevel.GRID)
        self.fields["health_centre"].queryset = Department.objects.choosable_by(user)
