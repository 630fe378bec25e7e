from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "wangge.assessment"
    label = "assessment"
    verbose_name = _("Assessment and reporting")

    def ready(self):
        # Reports and reviews awaiting the user's approval join the inbox (待我处理).
        from wangge.dashboard.inbox import register_section

        from .inbox import awaiting_approval

        register_section(awaiting_approval)
