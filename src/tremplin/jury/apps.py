from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    name = "tremplin.jury"
    label = "jury"
    verbose_name = _("Jury")

    def ready(self) -> None:
        from tremplin.core import audit
        from tremplin.jury import actions

        audit.register(actions)
