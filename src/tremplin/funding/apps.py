from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "tremplin.funding"
    label = "funding"
    verbose_name = _("Contributions and matchfunding")

    def ready(self) -> None:
        from tremplin.campaigns import signals as campaign_signals
        from tremplin.core import audit
        from tremplin.funding import actions, receivers
        from tremplin.payments import signals as payment_signals

        audit.register(actions)
        for signal, receiver, uid in (
            (
                payment_signals.payment_confirmed,
                receivers.payment_confirmed_receiver,
                "payment_confirmed",
            ),
            (payment_signals.payment_failed, receivers.payment_failed_receiver, "payment_failed"),
            (payment_signals.refund_done, receivers.refund_done_receiver, "refund_done"),
            (campaign_signals.campaign_closed, receivers.campaign_closed_receiver, "close_funds"),
            (
                campaign_signals.contributors_page,
                receivers.contributors_page_receiver,
                "contributors_page",
            ),
            (campaign_signals.matched_funder, receivers.matched_funder_receiver, "matched_funder"),
            (
                campaign_signals.contributors_export,
                receivers.contributors_export_receiver,
                "contributors_export",
            ),
            (
                campaign_signals.news_recipients,
                receivers.news_recipients_receiver,
                "news_recipients",
            ),
        ):
            signal.connect(receiver, dispatch_uid=f"funding.{uid}")
