from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KitConfig(AppConfig):
    name = "tremplin.kit"
    label = "kit"
    verbose_name = _("Communication kit and relay")

    def ready(self) -> None:
        from tremplin.core import audit
        from tremplin.kit import actions, receivers

        audit.register(actions)
        receivers.connect()
