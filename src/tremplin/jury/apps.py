from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JuryConfig(AppConfig):
    name = "tremplin.jury"
    label = "jury"
    verbose_name = _("Jury")

    def ready(self) -> None:
        from tremplin.calls.signals import (
            application_publicity_requested,
            application_read_requested,
        )
        from tremplin.jury import receivers

        application_read_requested.connect(
            receivers.juror_may_read_application, dispatch_uid="jury.juror_may_read_application"
        )
        application_publicity_requested.connect(
            receivers.laureate_is_public, dispatch_uid="jury.laureate_is_public"
        )
