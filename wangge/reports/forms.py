from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import BootstrapMixin
from wangge.workorders.choices import Satisfaction

from .choices import ReportCategory


class ReportForm(BootstrapMixin, forms.Form):
    """The public page's fields; the service checks them again (one path for the page and the ledger)."""

    category = forms.ChoiceField(label=_("What kind of problem?"), choices=ReportCategory.choices,
                                 widget=forms.RadioSelect)
    description = forms.CharField(label=_("What did you see?"), max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}))
    photo = forms.FileField(label=_("Photo"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    address = forms.CharField(label=_("Road and house number"), max_length=200, required=False,
                              help_text=_("For example 仙霞西路5号. Or use your position below."))
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    phone = forms.CharField(label=_("Mobile phone (optional)"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
                            help_text=_("Its last four digits let you look up your report later. Only the "
                                        "staff handling it may see it."))
    captcha_token = forms.CharField(widget=forms.HiddenInput)
    captcha_answer = forms.CharField(label=_("Result of the sum in the picture"), max_length=4,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class LookupForm(BootstrapMixin, forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=20)
    digits = forms.CharField(label=_("Last 4 digits of your phone"), max_length=4, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                             help_text=_("Leave empty if you gave no phone."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class RatingForm(BootstrapMixin, forms.Form):
    satisfaction = forms.ChoiceField(label=_("Are you satisfied with the result?"), choices=Satisfaction.choices,
                                     widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment (optional)"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
