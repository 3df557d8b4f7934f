from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonorsConfig(AppConfig):
    name = "tremplin.donors"
    label = "donors"
    verbose_name = _("Contributors' space and tax receipts")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from tremplin.campaigns import signals as campaign_signals
        from tremplin.core import audit
        from tremplin.donors import actions, receivers
        from tremplin.funding.models import Contribution

        audit.register(actions)
        campaign_signals.campaign_closed.connect(
            receivers.campaign_closed_receiver, dispatch_uid="donors.campaign_closed"
        )
        post_save.connect(
            receivers.contribution_saved_receiver,
            sender=Contribution,
            dispatch_uid="donors.contribution_saved",
        )
