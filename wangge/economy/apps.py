from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomyConfig(AppConfig):
    name = "wangge.economy"
    label = "economy"
    verbose_name = _("Economy")

    def ready(self):
        from wangge.workorders.categories import register
        from wangge.workorders.choices import Kind

        from .choices import DemandCategory

        register(Kind.DEMAND, DemandCategory.choices)

        from wangge.core.towns import register_routes

        from .models import DemandRoute

        register_routes(DemandRoute, lambda: DemandCategory.values)
