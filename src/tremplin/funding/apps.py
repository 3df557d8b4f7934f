from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "tremplin.funding"
    label = "funding"
    verbose_name = _("Contributions and matchfunding")

    def ready(self) -> None:
        from tremplin.funding import receivers  # noqa: F401 (connects campaigns' signals)
