from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "tremplin.tracking"
    label = "tracking"
    verbose_name = _("Campaign tracking and reports")

    def ready(self) -> None:
        from tremplin.core import audit
        from tremplin.tracking import actions

        audit.register(actions)
