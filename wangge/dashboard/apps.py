from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "wangge.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from wangge.core.exports import register_extra_exports

        from .briefs import jobs  # noqa: F401  (the brief as a background job)
        from .exports import campaign_ledgers, kept_briefs
        from .generate import job  # noqa: F401  (`generate` as a background job)

        register_extra_exports(campaign_ledgers)
        register_extra_exports(kept_briefs)
