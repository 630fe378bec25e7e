import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import BootstrapMixin, VersionedForm
from wangge.core.models import Area, AreaLevel, Department, User
from wangge.core.roles import ROLE_TABLE, Perm
from wangge.core.towns import choosable_towns
from wangge.core.widgets import DateInput, SearchableMultiSelect, people_filters
from wangge.places.models import PremisesCategory

from . import ladder
from .choices import ItemKind, LadderStep, Outcome, Severity
from .models import Campaign, Checklist, ChecklistItem, Team
from .services import town_people

YES_NO = [("yes", _("yes")), ("no", _("no"))]


def inspector_choices():
    """Active people whose roles may inspect: the pool a task force is drawn from."""
    roles = [role for role, (_scope, perms) in ROLE_TABLE.items() if Perm.INSPECT in perms]
    return (User.objects.filter(is_active=True, role_assignments__role__in=roles).distinct()
            .prefetch_related("departments").order_by("username"))


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        units = "、".join(d.short_name or d.name for d in obj.departments.all())
        return f"{obj}（{units}）" if units else str(obj)


def _neighbourhood(area: Area) -> str:
    """The neighbourhood an area is, or lies in: the filter of the campaign's area picker."""
    if area.level == AreaLevel.NEIGHBOURHOOD or area.parent_id is None:
        return area.name
    return area.parent.name


class CampaignForm(VersionedForm):
    class Meta:
        model = Campaign
        fields = ["town", "name", "plan", "starts_on", "ends_on", "checklist", "categories", "areas", "key_only",
                  "departments", "sample_share", "sample_seed"]
        widgets = {"starts_on": DateInput(),
                   "ends_on": DateInput(),
                   "categories": forms.CheckboxSelectMultiple, "departments": SearchableMultiSelect,
                   "areas": SearchableMultiSelect(filters=[("neighbourhood", _("neighbourhood"))],
                                                  describe=lambda area: {"neighbourhood": _neighbourhood(area)}),
                   "plan": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].queryset = Checklist.objects.filter(is_current=True) | Checklist.objects.filter(
            pk=self.instance.checklist_id or 0)
        self.fields["categories"].queryset = PremisesCategory.objects.all()
        # The user's own areas, and those the campaign already covers (kept when someone else edits it).
        chosen = self.instance.areas.all() if self.instance.pk else Area.objects.none()
        self.fields["areas"].queryset = (Area.objects.choosable_by(user) | chosen).filter(
            level__in=[AreaLevel.NEIGHBOURHOOD, AreaLevel.GRID]).distinct().select_related("parent").order_by("path")
        self.fields["departments"].queryset = Department.objects.choosable_by(user)
        if self.instance.pk and self.instance.inspections.exists():
            self.fields["checklist"].disabled = True  # inspections already answered this one
        self._town_field(user)

    def _town_field(self, user):
        """A town picker only for someone of several towns; anyone else's campaign is their one town's
        (services.save_campaign sets it). Once the campaign has teams or tasks, its town stays."""
        campaign = self.instance
        towns = choosable_towns(user)
        if campaign.pk:
            towns = towns | Area.objects.filter(pk=campaign.town_id)
            # Its areas and units: those of its own town (the service refuses any other).
            self.fields["areas"].queryset = self.fields["areas"].queryset.filter(
                path__startswith=campaign.town.path)
            self.fields["departments"].queryset = self.fields["departments"].queryset.filter(town=campaign.town_id)
        if len(towns) <= 1:
            del self.fields["town"]
            return
        self.fields["town"].queryset = towns.distinct()
        self.fields["town"].help_text = _("The campaign reaches this town's premises only.")
        if campaign.pk and (campaign.teams.exists() or campaign.tasks.exists()):
            self.fields["town"].disabled = True


class TeamForm(VersionedForm):
    members = PeopleField(queryset=User.objects.none(), label=_("members"),
                          widget=SearchableMultiSelect(**people_filters()),
                          help_text=_("Two or more, at least one from an enforcement unit."))

    class Meta:
        model = Team
        fields = ["name", "shift"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # People the user may name, of the campaign's own town (services.save_team refuses anyone else).
        self.fields["members"].queryset = inspector_choices().filter(
            pk__in=User.objects.choosable_by(user).values("pk")).filter(
            pk__in=town_people(self.instance.campaign.town_id).values("pk"))
        if self.instance.pk:
            self.fields["members"].initial = list(self.instance.members.values_list("pk", flat=True))


class LookbackForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    starts_on = forms.DateField(label=_("starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("ends"), widget=DateInput())
    share = forms.IntegerField(label=_("share of compliant premises sampled (%)"), min_value=0, max_value=100)
    seed = forms.IntegerField(label=_("sampling seed"), min_value=0, help_text=_("The same seed draws the same "
                                                                                 "sample."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", _("The campaign must end on or after its first day."))
        return cleaned


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    widget = MultipleImageInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


def _camera():
    return forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})


class InspectionForm(BootstrapMixin, forms.Form):
    """The field form: one field per checklist item (a_<code>), a photo per item that needs one
    (p_<code>), more photos, the people, and the outcome. The rules live in services."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    inspectors = PeopleField(queryset=User.objects.none(), label=_("inspectors present"), required=False,
                             widget=forms.CheckboxSelectMultiple)
    photos = MultipleImageField(label=_("more photos"), required=False,
                                widget=MultipleImageInput(attrs={"accept": "image/*", "capture": "environment"}))
    questioned = forms.CharField(label=_("person questioned"), max_length=100, required=False)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(label=_("outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    fixed_description = forms.CharField(label=_("what was fixed on the spot"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    rectification_items = forms.CharField(label=_("to rectify"), required=False,
                                          widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("rectify by"), required=False, widget=DateInput())
    suspend = forms.BooleanField(label=_("suspend until the rectification passes"), required=False)
    legal_reason = forms.CharField(label=_("legal reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    latitude = forms.DecimalField(widget=forms.HiddenInput, required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(widget=forms.HiddenInput, required=False, max_digits=9, decimal_places=6)
    accuracy_m = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def __init__(self, *args, items: list[ChecklistItem], people, history: dict | None = None, premises: bool = True,
                 **kwargs):
        super().__init__(*args, **kwargs)
        if not premises:  # only premises are shut or suspended; other subjects get orders about them
            self.fields["outcome"].choices = [c for c in Outcome.choices if c[0] != Outcome.SHUTDOWN]
            del self.fields["suspend"], self.fields["legal_reason"]
        self.items = items
        self.history = history or {}  # item code -> (last LadderEntry, proposed step)
        self.fields["client_id"].initial = uuid.uuid4()
        self.fields["inspectors"].queryset = people
        for item in items:
            self.fields[f"a_{item.code}"] = self._answer_field(item)
            if item.code in self.history:
                # A problem the premises had before: the ladder's next step, or another with a reason.
                _last, proposed = self.history[item.code]
                # Suspension and case filed are taken by the outcome (suspend, shut), not chosen here.
                words = [c for c in LadderStep.choices if c[0] not in ladder.DECIDED]
                self.fields[f"l_{item.code}"] = forms.ChoiceField(
                    label=_("step if violated again"), choices=words, required=False,
                    initial=proposed if proposed not in ladder.DECIDED else LadderStep.INTERVIEW,
                    help_text=_("Suspension and case filed are recorded by suspending or shutting the premises."))
                self.fields[f"lr_{item.code}"] = forms.CharField(
                    label=_("why another step"), max_length=300, required=False)
            if item.photo_required_when_violated or item.kind == ItemKind.PHOTO:
                self.fields[f"p_{item.code}"] = forms.ImageField(
                    label=_("photo: %(item)s") % {"item": item.text}, required=False, widget=_camera())
        self.style_fields()
        for name in ("outcome", "inspectors"):
            self.fields[name].widget.attrs["class"] = "form-check-input"
        for item in items:
            if item.kind in (ItemKind.YES_NO, ItemKind.CHOICE):
                self.fields[f"a_{item.code}"].widget.attrs["class"] = "btn-check"

    @staticmethod
    def _answer_field(item: ChecklistItem):
        common = {"label": item.text, "required": False}
        if item.kind == ItemKind.YES_NO:
            return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
        if item.kind == ItemKind.CHOICE:
            return forms.ChoiceField(choices=[(c, c) for c in item.choices], widget=forms.RadioSelect, **common)
        if item.kind == ItemKind.NUMBER:
            return forms.CharField(widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}), **common)
        if item.kind == ItemKind.PHOTO:
            return forms.CharField(widget=forms.HiddenInput, **common)
        return forms.CharField(max_length=500, **common)

    def answer_rows(self):
        """(item, answer field, photo field or None, ladder: (last step, step field, reason field) or None)
        for the template, in the checklist's order."""
        rows = []
        for item in self.items:
            code = item.code
            photo = self[f"p_{code}"] if f"p_{code}" in self.fields else None
            ladder = (self.history[code][0], self[f"l_{code}"], self[f"lr_{code}"]) if code in self.history else None
            rows.append((item, self[f"a_{code}"], photo, ladder))
        return rows

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        photos = [(item.code, data[f"p_{item.code}"]) for item in self.items if data.get(f"p_{item.code}")]
        photos += [("", f) for f in data.get("photos") or []]
        return {
            "client_id": data["client_id"],
            "answers": {item.code: data.get(f"a_{item.code}") or "" for item in self.items},
            "photos": photos, "inspectors": list(data.get("inspectors") or []),
            "outcome": data["outcome"], "fixed_description": data["fixed_description"],
            "rectification_items": data["rectification_items"], "deadline": data.get("deadline"),
            "suspend": data.get("suspend", False), "legal_reason": data.get("legal_reason", ""),
            "questioned": data["questioned"],
            "notes": data["notes"], "latitude": data.get("latitude"), "longitude": data.get("longitude"),
            "accuracy_m": data.get("accuracy_m"),
            "ladder": {code: {"step": data.get(f"l_{code}") or "", "reason": data.get(f"lr_{code}") or ""}
                       for code in self.history},
        }

    def clean_accuracy_m(self) -> float | None:
        """The phone's error estimate, as inspect_form.js copies it: advisory, so a value that is not a
        distance is dropped rather than holding up the inspection on a hidden field the inspector cannot fix."""
        try:
            metres = float(self.cleaned_data.get("accuracy_m") or "")
        except ValueError:
            return None
        return metres if 0 <= metres < float("inf") else None

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        for key, messages in errors.items():
            name = {"photos.general": "photos"}.get(key)
            if name is None and key.startswith("answers."):
                name = "a_" + key.split(".", 1)[1]
            elif name is None and key.startswith("photos."):
                name = "p_" + key.split(".", 1)[1]
            elif name is None and key.startswith("ladder."):
                name = "l_" + key.split(".", 1)[1]
            self.add_error(name if name in self.fields else (key if key in self.fields else None), messages)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("、", ",").replace("，", ",").split(",") if part.strip()]


class ChecklistForm(BootstrapMixin, forms.Form):
    code = forms.SlugField(label=_("code"), max_length=40)
    name = forms.CharField(label=_("name"), max_length=100)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(label=_("regulating unit"), required=False,
                                        queryset=Department.objects.filter(is_active=True),
                                        help_text=_("Rectifications of its items go to this unit. "
                                                    "Empty: the unit of the premises category."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.choosable_by(user)  # the editor's towns' units
        self.style_fields()
        if editing:
            self.fields["code"].disabled = True


class ItemForm(BootstrapMixin, forms.Form):
    """One row of the checklist editor; lists are typed as comma-separated text."""

    code = forms.SlugField(label=_("code"), max_length=40)
    text = forms.CharField(label=_("item"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=ItemKind.choices)
    choices = forms.CharField(label=_("choices"), required=False, help_text=_("Separated by commas."))
    violation_values = forms.CharField(label=_("violating answers"), required=False,
                                       help_text=_("yes / no, or choices, separated by commas."))
    violation_min = forms.DecimalField(label=_("violation below"), required=False)
    violation_max = forms.DecimalField(label=_("violation above"), required=False)
    at_least_item = forms.CharField(label=_("violation when smaller than item"), max_length=40, required=False)
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices, initial=Severity.MAJOR)
    required = forms.BooleanField(label=_("required"), required=False, initial=True)
    photo_required_when_violated = forms.BooleanField(label=_("photo required when violated"), required=False)
    categories = forms.ModelMultipleChoiceField(label=_("applies to"), required=False,
                                                queryset=PremisesCategory.objects.all(), to_field_name="code")
    department = forms.ModelChoiceField(label=_("regulating unit"), required=False,
                                        queryset=Department.objects.filter(is_active=True),
                                        help_text=_("Empty: the checklist's unit."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.choosable_by(user)
        self.style_fields()

    @staticmethod
    def initial_of(item: ChecklistItem) -> dict:
        return {"code": item.code, "text": item.text, "kind": item.kind, "choices": ",".join(item.choices),
                "violation_values": ",".join(item.violation_values), "violation_min": item.violation_min,
                "violation_max": item.violation_max, "at_least_item": item.at_least_item, "severity": item.severity,
                "required": item.required, "photo_required_when_violated": item.photo_required_when_violated,
                "categories": [c.code for c in item.categories.all()], "department": item.department_id}

    def spec(self) -> dict:
        data = dict(self.cleaned_data)
        data["choices"] = _split(data["choices"])
        data["violation_values"] = _split(data["violation_values"])
        data["categories"] = [c.code for c in data["categories"]]
        data.pop("DELETE", None)
        return data


ItemFormSet = forms.formset_factory(ItemForm, extra=2, can_delete=True)
