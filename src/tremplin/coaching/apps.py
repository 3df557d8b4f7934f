from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "tremplin.coaching"
    label = "coaching"
    verbose_name = _("Coaching and workshops")

    def ready(self) -> None:
        from tremplin.coaching import actions
        from tremplin.core import audit

        audit.register(actions)
