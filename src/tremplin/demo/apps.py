from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo programme and the ``tremplin demo`` command: the composition root, the one
    package that may import every app (it loads each app's data in one go)."""

    name = "tremplin.demo"
    label = "demo"
    verbose_name = _("Demo")
