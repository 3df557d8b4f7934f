from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "tremplin.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from tremplin.core import audit
        from tremplin.payments import actions

        audit.register(actions)
