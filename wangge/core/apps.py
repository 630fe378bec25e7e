from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "wangge.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib import admin
        from django.core.signals import request_finished
        from django.db.models import BinaryField, CharField

        from . import audit_signals, checks, key_rotation, maintenance  # noqa: F401  (checks, job kinds)
        from .any_of import AnyOf
        from .forms import ThrottledAdminLoginForm
        from .logging import end_request

        CharField.register_lookup(AnyOf)  # field__any=[...]: any_of.py
        BinaryField.register_lookup(AnyOf)  # digests (tabular/digests.py::mark)
        request_finished.connect(end_request, dispatch_uid="wangge.core.logging.end_request")

        # The admin's sign-in says so when the account is locked (the backend refuses it either way).
        admin.site.login_form = ThrottledAdminLoginForm
        from django.db.models.signals import post_save

        from .models import Area
        from .towns import town_created

        post_save.connect(town_created, sender=Area, dispatch_uid="wangge.core.towns.town_created")
        audit_signals.connect()  # deletes by any path, many-to-many changes: docs/SECURITY.md
