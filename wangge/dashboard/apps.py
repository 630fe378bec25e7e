from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "wangge.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from wangge.core.exports import register_extra_exports

        from .exports import campaign_ledgers, kept_briefs

        register_extra_exports(campaign_ledgers)
        register_extra_exports(kept_briefs)
