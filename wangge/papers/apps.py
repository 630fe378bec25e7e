from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PapersConfig(AppConfig):
    name = "wangge.papers"
    label = "papers"
    verbose_name = _("Enforcement papers")

    def ready(self):
        # The campaign summary counts papers by kind without inspections importing this app.
        from wangge.inspections.summary import register_figure

        from .figures import papers_by_kind

        register_figure("papers", papers_by_kind)
