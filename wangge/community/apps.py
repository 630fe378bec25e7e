from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "wangge.community"
    label = "community"
    verbose_name = _("Neighbourhoods")

    def ready(self):
        from wangge.workorders.categories import register
        from wangge.workorders.choices import Kind

        from .choices import NeedKind

        register(Kind.RESIDENT_NEED, NeedKind.choices)
