from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import throttle
from .clientip import client_ip
from .models import Area, AreaLevel, Department, User
from .roles import Role, Scope
from .towns import choosable_towns
from .widgets import ISO_DATE, SearchableMultiSelect, as_check_list


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed sign-ins. This account is locked for %(minutes)s minutes."),
    }

    def clean(self):
        """Says so when the account or the address is locked; the counting is in the backend
        (core/backends.py), which the Django admin's sign-in goes through too."""
        from django.conf import settings

        username = (self.cleaned_data.get("username") or "").strip()
        if throttle.is_locked(username, client_ip(self.request) if self.request else None):
            raise forms.ValidationError(self.error_messages["locked"], code="locked",
                                        params={"minutes": settings.LOGIN_LOCKOUT_MINUTES})
        return super().clean()


class ThrottledAdminLoginForm(ThrottledLoginForm, AdminAuthenticationForm):
    """The Django admin's sign-in, with the same lockout message."""


class NoEchoInput(forms.TextInput):
    """A text box that never writes a submitted personal value back into the page."""

    def format_value(self, value):
        return None


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates render fields with one include."""

    def style_fields(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):  # and CheckboxSelectMultiple, its subclass
                as_check_list(widget)
            elif isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            elif not isinstance(widget, forms.HiddenInput):
                widget.attrs.setdefault("class", "form-control")
            # A browser's date input takes ISO only: never the language's 2026/12/05.
            if isinstance(widget, forms.DateInput) and "date" in (widget.input_type, widget.attrs.get("type")):
                widget.format = ISO_DATE
            elif isinstance(widget, forms.TimeInput) and "time" in (widget.input_type, widget.attrs.get("type")):
                widget.format = widget.format or "%H:%M"


class VersionedForm(BootstrapMixin, forms.ModelForm):
    """Carries the version the user started from, so a concurrent edit fails clearly."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class AreaForm(VersionedForm):
    class Meta:
        model = Area
        fields = ["code", "name", "level", "parent"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Area.objects.visible_to(actor).order_by("path")
        if Scope.ALL not in actor.scopes:  # a town administrator adds areas below their town only
            self.fields["level"].choices = [(v, label) for v, label in AreaLevel.choices
                                            if v not in (AreaLevel.DISTRICT, AreaLevel.TOWN)]
            self.fields["parent"].required = True


class DepartmentForm(VersionedForm):
    class Meta:
        model = Department
        fields = ["town", "code", "name", "short_name", "is_active", "is_enforcement"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = choosable_towns(actor)
        if not self.instance.pk and len(self.fields["town"].queryset) == 1:
            self.fields["town"].initial = self.fields["town"].queryset[0].pk


class UserForm(VersionedForm):
    roles = forms.MultipleChoiceField(label=_("roles"), choices=Role.choices,
                                      widget=forms.CheckboxSelectMultiple)
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput(render_value=False),
                               required=False, help_text=_("Leave empty to keep the current password."))

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "departments", "areas"]
        widgets = {"departments": SearchableMultiSelect(filters=[("town", _("town"))],
                                                        describe=lambda department: {"town": department.town.name}),
                   "areas": SearchableMultiSelect(filters=[("parent", _("within"))],
                                                  describe=lambda area: {"parent": area.parent.name if area.parent_id
                                                                         else ""})}

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # A town administrator names their town's areas and departments and grants any role but the
        # administrator's (core/services.py::save_user checks the same).
        self.fields["areas"].queryset = Area.objects.visible_to(actor).select_related("parent").order_by("path")
        self.fields["departments"].queryset = Department.objects.visible_to(actor).select_related("town")
        if Scope.ALL not in actor.scopes:
            self.fields["roles"].choices = [(v, label) for v, label in Role.choices if v != Role.ADMIN]
        if self.instance.pk:
            self.fields["roles"].initial = sorted(self.instance.roles)
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = password_validation.password_validators_help_text_html()

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            password_validation.validate_password(password, self.instance)
        return password


class PasswordResetByAdminForm(BootstrapMixin, forms.Form):
    new_password = forms.CharField(label=_("new password"), widget=forms.PasswordInput,
                                   help_text=password_validation.password_validators_help_text_html)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.style_fields()

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        password_validation.validate_password(password, self.user)
        return password


class RevealForm(forms.Form):
    field = forms.CharField(max_length=32)
    reason = forms.CharField(label=_("reason"), max_length=200, min_length=2)
