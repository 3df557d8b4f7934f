from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    name = "tremplin.jury"
    label = "jury"
    verbose_name = _("Jury")

    def ready(self) -> None:
        from tremplin.calls import signals
        from tremplin.core import audit
        from tremplin.jury import actions, receivers

        audit.register(actions)
        signals.application_read_requested.connect(
            receivers.juror_may_read_application, dispatch_uid="jury.juror_may_read_application"
        )
        signals.application_publicity_requested.connect(
            receivers.laureate_is_public, dispatch_uid="jury.laureate_is_public"
        )
