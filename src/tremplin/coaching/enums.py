"""The choices of the coaching app and the transition table of a workshop registration."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    APPLICANTS = "applicants", _("The programme's applicants")
    LAUREATES = "laureates", _("The programme's laureates")
    PUBLIC = "public", _("Everyone (public)")


class RegistrationState(models.TextChoices):
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


REGISTRATION_TRANSITIONS: dict[str, set[str]] = {
    RegistrationState.CONFIRMED: {RegistrationState.CANCELLED},
    RegistrationState.WAITING: {RegistrationState.CONFIRMED, RegistrationState.CANCELLED},
    RegistrationState.CANCELLED: set(),
}
ACTIVE_REGISTRATION_STATES = (RegistrationState.CONFIRMED, RegistrationState.WAITING)


class AutoCheck(models.TextChoices):
    """The checklist items computed from the campaign (empty: ticked by hand)."""

    MANUAL = "", _("Ticked by the maker, confirmed by the coach")
    PAGE_COMPLETE = "page_complete", _("The page is complete")
    REWARDS = "rewards", _("At least N rewards")
    VIDEO_CAPTIONS = "video_captions", _("A video with captions or a transcript")
    IMAGE_ALTS = "image_alts", _("Every image has a description")
    LAUNCH_DATE = "launch_date", _("A launch date is chosen")
    FIRST_CIRCLE = "first_circle", _("A first circle of at least N people")


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    MEETING_NOTES = "meeting_notes", _("Meeting notes")


class NotificationMode(models.TextChoices):
    IMMEDIATE = "immediate", _("One e-mail per message")
    DIGEST = "digest", _("A daily digest")
    OFF = "off", _("No e-mail")


class TipCondition(models.TextChoices):
    ALWAYS = "always", _("Always")
    NO_NEWS_7_DAYS = "no_news_7d", _("No news posted for 7 days")
    BELOW_PACE = "below_pace", _("Below pace (raised share behind elapsed time)")


class TipMoment(models.TextChoices):
    """When a tip is due, relative to the campaign's launch or deadline."""

    DAY_0 = "day0", _("Launch day")
    DAY_1 = "day1", _("Day 1")
    DAY_2 = "day2", _("Day 2")
    DAY_3 = "day3", _("Day 3")
    DAY_4 = "day4", _("Day 4")
    DAY_5 = "day5", _("Day 5")
    DAY_8 = "day8", _("Day 8")
    SLUMP = "slump", _("Mid-campaign slump")
    END_5 = "end5", _("5 days before the end")
    END_3 = "end3", _("3 days before the end")
    END_2 = "end2", _("2 days before the end")
    END_1 = "end1", _("1 day before the end")


class TipOutcome(models.TextChoices):
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped (condition not met)")
