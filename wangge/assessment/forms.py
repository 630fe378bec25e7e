from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import BootstrapMixin
from wangge.core.models import Area, AreaLevel
from wangge.core.widgets import DateInput, SearchableMultiSelect
from wangge.inspections.choices import CampaignStatus
from wangge.inspections.models import Campaign

from .choices import PeriodKind
from .indicators import INDICATORS
from .models import ReportDefinition


class _Styled(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class SchemeForm(_Styled):
    name = forms.CharField(label=_("Name"), max_length=100)
    starts_on = forms.DateField(label=_("From"), widget=DateInput)
    ends_on = forms.DateField(label=_("To"), widget=DateInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in INDICATORS:
            self.fields[f"w_{indicator.key}"] = forms.IntegerField(
                label=_("Weight: %(name)s") % {"name": indicator.label}, min_value=0, max_value=100, initial=0,
                required=False,
                help_text=indicator.counts)
        self.style_fields()

    def weights(self) -> dict:
        return {i.key: self.cleaned_data[f"w_{i.key}"] or 0 for i in INDICATORS}

    @staticmethod
    def initial_for(scheme) -> dict:
        return {"name": scheme.name, "starts_on": scheme.starts_on, "ends_on": scheme.ends_on,
                "version": scheme.version, **{f"w_{k}": w for k, w in scheme.weights.items()}}


class DefinitionForm(_Styled):
    name = forms.CharField(label=_("Name"), max_length=100)
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    figures = forms.MultipleChoiceField(label=_("Figures"), required=False, widget=SearchableMultiSelect)
    indicators = forms.MultipleChoiceField(label=_("Indicators per area"), required=False,
                                           choices=[(i.key, i.label) for i in INDICATORS],
                                           widget=forms.CheckboxSelectMultiple)
    areas = forms.ModelMultipleChoiceField(label=_("Areas"), required=False, widget=SearchableMultiSelect,
                                           queryset=Area.objects.filter(level=AreaLevel.NEIGHBOURHOOD))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, catalogue=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figures"].choices = list(catalogue)

    @staticmethod
    def initial_for(definition: ReportDefinition) -> dict:
        return {"name": definition.name, "period": definition.period, "figures": definition.figures,
                "indicators": definition.indicators, "areas": list(definition.areas.all()),
                "version": definition.version}


class PrepareForm(_Styled):
    definition = forms.ModelChoiceField(label=_("Report definition"), queryset=ReportDefinition.objects.all())
    starts_on = forms.DateField(label=_("First day of the period"), widget=DateInput)


class ReviewCreateForm(_Styled):
    title = forms.CharField(label=_("Title"), max_length=100)
    campaign = forms.ModelChoiceField(label=_("Campaign"), required=False,
                                      queryset=Campaign.objects.exclude(status=CampaignStatus.DRAFT),
                                      help_text=_("A campaign's review covers its days; leave empty for a period."))
    starts_on = forms.DateField(label=_("From"), widget=DateInput, required=False)
    ends_on = forms.DateField(label=_("To"), widget=DateInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user).exclude(status=CampaignStatus.DRAFT)


class ReviewEditForm(_Styled):
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 12}))
    version = forms.IntegerField(widget=forms.HiddenInput)
