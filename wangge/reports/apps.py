from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "wangge.reports"
    label = "reports"
    verbose_name = _("Public reports")

    def ready(self):
        from wangge.workorders.categories import register
        from wangge.workorders.choices import Kind

        from .choices import ReportCategory

        register(Kind.PUBLIC_REPORT, ReportCategory.choices)

        from wangge.core.towns import register_routes

        from .models import ReportRoute

        register_routes(ReportRoute, lambda: ReportCategory.values)
