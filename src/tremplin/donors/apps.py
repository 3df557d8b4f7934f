from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonorsConfig(AppConfig):
    name = "tremplin.donors"
    label = "donors"
    verbose_name = _("Contributors' space and tax receipts")

    def ready(self) -> None:
        from tremplin.core import audit
        from tremplin.donors import actions

        audit.register(actions)
