from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "tremplin.calls"
    label = "calls"
    verbose_name = _("Calls for projects")

    def ready(self) -> None:
        from tremplin.calls import actions
        from tremplin.core import audit

        audit.register(actions)
