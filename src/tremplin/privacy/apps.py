from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "tremplin.privacy"
    label = "privacy"
    verbose_name = _("Personal data rights and retention")

    def ready(self) -> None:
        from tremplin.core import audit
        from tremplin.privacy import actions

        audit.register(actions)
