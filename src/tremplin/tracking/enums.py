"""Choices of the tracking app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertRule(models.TextChoices):
    BELOW_PACE = "below_pace", _("Below the pace it needs")
    QUIET = "quiet", _("No contribution for several days")
    FINAL_HOURS = "final_hours", _("Last hours, goal not reached")
