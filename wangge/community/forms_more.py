"""Forms for gates, screening rounds, care visits and supplies."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangge.core.forms import BootstrapMixin, VersionedForm

from .choices import Condition, ScreeningStatus
from .models import Compound, Gate, ScreeningRound, SupplyItem


class GateForm(VersionedForm):
    class Meta:
        model = Gate
        fields = ["name", "control", "staff", "hours"]

    def _post_clean(self):
        pass


class RoundForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = ScreeningRound
        fields = ["name", "date", "compounds", "notes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "compounds": forms.CheckboxSelectMultiple, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
        self.fields["compounds"].queryset = Compound.objects.visible_to(user).order_by("grid__path", "name")

    def _post_clean(self):
        pass


class ResultForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("result"), choices=ScreeningStatus.choices)
    exempt_reason = forms.CharField(label=_("reason for exemption"), max_length=100, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class CareVisitForm(BootstrapMixin, forms.Form):
    visited_on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    visitors = forms.CharField(label=_("visitors"), max_length=200)
    condition = forms.ChoiceField(label=_("condition"), choices=Condition.choices)
    notes = forms.CharField(label=_("observations"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    daily_life = forms.CharField(label=_("needs for daily life"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("Each need written here becomes a work order."))
    medical = forms.CharField(label=_("needs for medical care"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))
    supplies = forms.CharField(label=_("needs for supplies"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class ItemForm(VersionedForm):
    class Meta:
        model = SupplyItem
        fields = ["name", "unit"]

    def _post_clean(self):
        pass


class ReceiptForm(BootstrapMixin, forms.Form):
    item = forms.ModelChoiceField(label=pgettext_lazy("supplies", "item"), queryset=SupplyItem.objects.all())
    quantity = forms.DecimalField(label=_("quantity"), max_digits=12, decimal_places=2)
    on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    counterparty = forms.CharField(label=_("supplier"), max_length=100, required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class IssueForm(BootstrapMixin, forms.Form):
    quantity = forms.DecimalField(label=_("quantity"), max_digits=12, decimal_places=2)
    on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    counterparty = forms.CharField(label=_("receiver"), max_length=100)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class DistributionForm(BootstrapMixin, forms.Form):
    quantity = forms.DecimalField(label=_("quantity each"), max_digits=12, decimal_places=2)
    on = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    residents = forms.ModelMultipleChoiceField(label=_("residents"), queryset=None,
                                               widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residents"].queryset = recipients
        self.style_fields()


class LowLevelForm(BootstrapMixin, forms.Form):
    low_level = forms.DecimalField(label=_("warn below"), max_digits=12, decimal_places=2, min_value=0)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
