from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import BootstrapMixin, VersionedForm
from wangge.core.models import Area, AreaLevel, Department, User, town_members
from wangge.core.roles import Scope
from wangge.core.towns import town_id_of
from wangge.core.widgets import DateInput

from .choices import Satisfaction
from .models import FieldVisit

DATE = DateInput()


def _grids(user):
    """Grids the user may raise orders in: their areas; a department's officers raise town-wide."""
    return Area.objects.choosable_by(user).filter(level=AreaLevel.GRID)


def _staff(town_ids=None):
    """Active staff: of these towns only (docs/TOWNS.md), or everyone's for an administrator (None)."""
    staff = User.objects.filter(is_active=True).order_by("username")
    if town_ids is None:
        return staff
    return staff.filter(pk__in=User._base_manager.filter(town_members(town_ids)).values("pk"))


def _towns_of(user):
    return None if Scope.ALL in user.scopes else user.town_ids


class OrderForm(VersionedForm):
    class Meta:
        from .models import WorkOrder

        model = WorkOrder
        fields = ["kind", "title", "grid", "department", "assignee", "priority", "deadline", "category",
                  "subject_label", "source", "requester_name", "requester_unit", "description"]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = _grids(user)
        self.fields["assignee"].queryset = _staff(_towns_of(user))
        self.fields["department"].queryset = Department.objects.choosable_by(user)
        self.fields["deadline"].required = False
        self.fields["deadline"].help_text = _("Empty: the default number of working days for the kind.")

    def _post_clean(self):
        # The service validates the whole row (and its scope); see workorders.services.
        pass


class ActionForm(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(label=_("comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()


class AssignForm(ActionForm):
    assignee = forms.ModelChoiceField(label=_("assignee"), queryset=User.objects.none())
    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.none(), required=False)
    deadline = forms.DateField(label=_("deadline"), required=False, widget=DATE)

    def __init__(self, *args, order=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The people and departments of the order's own town (docs/TOWNS.md).
        town = town_id_of(order.grid_id) if order is not None else None
        self.fields["assignee"].queryset = _staff([town])
        self.fields["department"].queryset = Department.objects.filter(town=town, is_active=True)


class VerifyForm(ActionForm):
    satisfaction = forms.ChoiceField(label=_("satisfaction"), required=False,
                                     choices=[("", "—"), *Satisfaction.choices],
                                     help_text=_("Required for enterprise demands: ask the requester."))


class BulkAssignForm(BootstrapMixin, forms.Form):
    assignee = forms.ModelChoiceField(label=_("assignee"), queryset=User.objects.none())
    comment = forms.CharField(label=_("comment"), required=False, max_length=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _staff(_towns_of(user))
        self.style_fields()


class VisitForm(VersionedForm):
    class Meta:
        model = FieldVisit
        fields = ["title", "visited_on", "leader", "participants", "area", "place", "units", "notes"]
        widgets = {"visited_on": DATE, "units": forms.Textarea(attrs={"rows": 3}),
                   "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.visible_to(user)


class InstructionForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("instruction"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.CharField(label=_("units"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("One per line: each unit gets its own work order."))
    grid = forms.ModelChoiceField(label=_("grid"), queryset=Area.objects.none())
    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.none(), required=False)
    assignee = forms.ModelChoiceField(label=_("assignee"), queryset=User.objects.none(), required=False)
    deadline = forms.DateField(label=_("deadline"), widget=DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = _grids(user)
        self.fields["assignee"].queryset = _staff(_towns_of(user))
        self.fields["department"].queryset = Department.objects.choosable_by(user)
        self.style_fields()

    def clean_units(self):
        units = [u.strip() for u in self.cleaned_data["units"].splitlines() if u.strip()]
        if not units:
            raise forms.ValidationError(_("Name at least one unit."))
        return units


class OrderEditForm(VersionedForm):
    """The descriptive fields of an order; its state moves only through the verbs."""

    class Meta:
        from .models import WorkOrder

        model = WorkOrder
        fields = ["title", "description", "category", "priority", "deadline", "subject_label", "source",
                  "requester_name", "requester_unit"]
        widgets = {"deadline": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        pass


class ChannelForm(BootstrapMixin, forms.Form):
    """Which channels besides the inbox tell this user (only those the server has set up are shown)."""

    email = forms.BooleanField(label=_("e-mail"), required=False)
    wecom = forms.BooleanField(label=_("WeCom message"), required=False)
    wecom_userid = forms.CharField(label=_("WeCom account"), max_length=64, required=False,
                                   help_text=_("The account (UserID) in the town's WeCom address book."))
    sms = forms.BooleanField(label=_("text message"), required=False)
    phone = forms.CharField(label=_("mobile phone"), max_length=20, required=False,
                            help_text=_("Leave empty to keep the number on file."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, ready: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        drop = {"email": ["email"], "wecom": ["wecom", "wecom_userid"], "sms": ["sms", "phone"]}
        for channel, names in drop.items():
            if channel not in ready:
                for name in names:
                    del self.fields[name]
        self.style_fields()
