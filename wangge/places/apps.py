from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "wangge.places"
    label = "places"
    verbose_name = _("Premises")

    def ready(self):
        from wangge.core.tabular.digests import forget_on_delete
        from wangge.core.towns import register_routes

        from .models import CategoryRoute, Premises, PremisesCategory

        register_routes(CategoryRoute, lambda: PremisesCategory.objects.all())
        forget_on_delete(Premises, "premises")
