import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wangge.core.forms import BootstrapMixin, VersionedForm
from wangge.core.models import Area, AreaLevel
from wangge.core.widgets import DateInput

from .choices import ShiftName, SiteStatus, Weekday
from .hours import Period, day_text
from .models import SamplingSite

PERIOD = re.compile(r"^(\d{1,2})[:：.](\d{2})\s*[-–—~～至到]\s*(?:次日)?(\d{1,2})[:：.](\d{2})$")
DASH = re.compile(r"\s*([-–—~～至到])\s*")
SEPARATORS = re.compile(r"[,，、;；\s]+(?=\d)")


def parse_day(text: str, weekday: int) -> list[Period]:
    """`07:00-11:00 13:00-20:00` (or 20:00-次日02:00) → periods; empty text → closed that day."""
    text = (text or "").strip()
    if not text:
        return []
    text = DASH.sub(r"\1", text)
    periods = []
    for part in SEPARATORS.split(text):
        match = PERIOD.match(part.strip())
        if not match:
            raise ValidationError(_("Write the hours as 07:00-11:00, several periods separated by spaces."))
        oh, om, ch, cm = (int(g) for g in match.groups())
        if ch == 24 and cm == 0:
            ch = 0
        if oh > 23 or ch > 23 or om > 59 or cm > 59:
            raise ValidationError(_("Write the hours as 07:00-11:00, several periods separated by spaces."))
        periods.append(Period(weekday, datetime.time(oh, om), datetime.time(ch, cm)))
    return periods


class SiteForm(VersionedForm):
    """A site and its week: one line of periods per weekday."""

    class Meta:
        model = SamplingSite
        fields = ["code", "name", "address", "grid", "site_type", "latitude", "longitude", "capacity_per_hour",
                  "heat_measures"]
        widgets = {"heat_measures": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Area.objects.visible_to(user).filter(level=AreaLevel.GRID)
        periods = self.instance.periods() if self.instance.pk else []
        for day in Weekday:
            name = f"hours_{int(day)}"
            self.fields[name] = forms.CharField(
                label=day.label, required=False, max_length=200,
                initial=day_text(periods, int(day), "").replace("、", " "),
                widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "07:00-11:00 13:00-20:00"}),
                help_text=_("Empty: closed that day. A period ending at or before its start runs past midnight.")
                if day == Weekday.SUNDAY else "")

    def clean(self):
        cleaned = super().clean()
        periods = []
        for day in Weekday:
            try:
                periods += parse_day(cleaned.get(f"hours_{int(day)}", ""), int(day))
            except ValidationError as exc:
                self.add_error(f"hours_{int(day)}", exc)
        cleaned["periods"] = periods
        return cleaned

    def _post_clean(self):
        # The service validates the whole row and its scope (see sampling.services.save_site).
        pass


class StatusForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=SiteStatus.choices)
    reason = forms.CharField(label=_("reason (shown on the public page)"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class ShiftForm(BootstrapMixin, forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput())
    shift = forms.ChoiceField(label=pgettext_lazy("sampling", "shift"), choices=ShiftName.choices)
    samples = forms.IntegerField(label=_("samples taken"), min_value=0, max_value=100000)
    staff_count = forms.IntegerField(label=pgettext_lazy("sampling", "staff"), min_value=0, max_value=100000)
    volunteer_count = forms.IntegerField(label=_("volunteers"), min_value=0, max_value=100000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.style_fields()
        for name in ("samples", "staff_count", "volunteer_count"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
