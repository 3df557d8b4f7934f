from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "tremplin.coaching"
    label = "coaching"
    verbose_name = _("Coaching and workshops")

    def ready(self) -> None:
        from tremplin.campaigns import signals as campaign_signals
        from tremplin.coaching import actions, receivers
        from tremplin.core import audit

        audit.register(actions)
        campaign_signals.submission_blockers.connect(
            receivers.submission_blockers_receiver, dispatch_uid="coaching.submission_blockers"
        )
