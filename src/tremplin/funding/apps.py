from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "tremplin.funding"
    label = "funding"
    verbose_name = _("Contributions and matchfunding")

    def ready(self) -> None:
        from tremplin.core import audit
        from tremplin.funding import actions, receivers
        from tremplin.payments import signals

        audit.register(actions)

        signals.payment_confirmed.connect(
            receivers.payment_confirmed_receiver, dispatch_uid="funding.payment_confirmed"
        )
        signals.payment_failed.connect(
            receivers.payment_failed_receiver, dispatch_uid="funding.payment_failed"
        )
        signals.refund_done.connect(
            receivers.refund_done_receiver, dispatch_uid="funding.refund_done"
        )
