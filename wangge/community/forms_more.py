"""Forms for gates, screening rounds, care visits and supplies."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangge.core.forms import BootstrapMixin, VersionedForm
from wangge.core.widgets import DateInput, SearchableMultiSelect

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
        widgets = {"date": DateInput(),
                   "compounds": SearchableMultiSelect(filters=[("grid", _("grid"))],
                                                      describe=lambda compound: {"grid": compound.grid.name}),
                   "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
        self.fields["compounds"].queryset = Compound.objects.visible_to(user).select_related("grid").order_by(
            "grid__path", "name")

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
    visited_on = forms.DateField(label=_("date"), widget=DateInput())
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
    on = forms.DateField(label=_("date"), widget=DateInput())
    counterparty = forms.CharField(label=_("supplier"), max_length=100, required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class IssueForm(BootstrapMixin, forms.Form):
    quantity = forms.DecimalField(label=_("quantity"), max_digits=12, decimal_places=2)
    on = forms.DateField(label=_("date"), widget=DateInput())
    counterparty = forms.CharField(label=_("receiver"), max_length=100)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


def _describe_recipient(resident) -> dict:
    building = " ".join(v for v in ((resident.compound.name if resident.compound_id else ""), resident.building) if v)
    return {"group": _("special groups") if getattr(resident, "priority", 1) == 0 else "",
            "building": building, "household": resident.household}


class RecipientsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        place = " ".join(v for v in ((obj.compound.name if obj.compound_id else ""), obj.building, obj.room) if v)
        special = "★ " if getattr(obj, "priority", 1) == 0 else ""
        return f"{special}{obj.name} · {place}" if place else f"{special}{obj.name}"


class DistributionForm(BootstrapMixin, forms.Form):
    quantity = forms.DecimalField(label=_("quantity each"), max_digits=12, decimal_places=2)
    on = forms.DateField(label=_("date"), widget=DateInput())
    note = forms.CharField(label=_("note"), max_length=200, required=False)
    residents = RecipientsField(label=_("residents"), queryset=None, widget=SearchableMultiSelect(
        filters=[("group", _("group")), ("building", _("building")), ("household", _("household"))],
        describe=_describe_recipient))

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
