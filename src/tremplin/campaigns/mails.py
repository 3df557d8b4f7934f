"""The campaigns' e-mails to the maker, the coach and the organiser's team (queued after
commit), and the links they carry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse

from tremplin.campaigns.models import Campaign
from tremplin.core.mail import send_mail_on_commit
from tremplin.core.models import OrganiserRole, User


def paths(campaign: Campaign) -> dict[str, str]:
    return {
        "path": reverse("campaigns:campaign", args=[campaign.slug]),
        "backstage_path": reverse("campaigns:backstage", args=[campaign.slug]),
        "coach_path": reverse("campaigns:coach_review", args=[campaign.slug]),
        "manage_path": reverse(
            "campaigns_manage:detail", args=[campaign.programme.organiser.slug, campaign.slug]
        ),
    }


def mail_context(campaign: Campaign, **extra: Any) -> dict[str, Any]:
    return {
        "title": campaign.title,
        "programme": campaign.programme.name,
        "organiser": campaign.programme.organiser.name,
        "maker_name": campaign.application.maker_name or str(campaign.maker),
        **paths(campaign),
        **extra,
    }


def mail_maker(campaign: Campaign, template: str, **extra: Any) -> None:
    maker = campaign.maker
    send_mail_on_commit(
        f"campaigns/email/{template}",
        maker.email,
        mail_context(campaign, **extra),
        language=maker.language,
    )


def mail_coach(campaign: Campaign, template: str, **extra: Any) -> None:
    coach = campaign.coach
    if coach is not None:
        send_mail_on_commit(
            f"campaigns/email/{template}",
            coach.email,
            mail_context(campaign, for_coach=True, **extra),
            language=coach.language,
        )


def organiser_editors(campaign: Campaign):
    """The organiser's administrators and managers."""
    return User.objects.filter(
        organiser_memberships__organiser_id=campaign.programme.organiser_id,
        organiser_memberships__role__in=(OrganiserRole.ADMIN, OrganiserRole.MANAGER),
    ).order_by("pk")


def mail_moderators(campaign: Campaign, template: str, **extra: Any) -> None:
    """The comments' moderators: the maker and the organiser's administrators and
    managers (each once, even a maker who is also on the team)."""
    maker = campaign.maker
    mail_maker(campaign, template, **extra)
    for editor in organiser_editors(campaign).exclude(pk=maker.pk):
        send_mail_on_commit(
            f"campaigns/email/{template}",
            editor.email,
            mail_context(campaign, for_organiser=True, **extra),
            language=editor.language,
        )


def mail_reviewers(campaign: Campaign, template: str, **extra: Any) -> None:
    """The assigned coach, or else the organiser's administrators and managers."""
    if campaign.coach is not None:
        mail_coach(campaign, template, **extra)
        return
    for editor in organiser_editors(campaign):
        send_mail_on_commit(
            f"campaigns/email/{template}",
            editor.email,
            mail_context(campaign, for_organiser=True, **extra),
            language=editor.language,
        )


def iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""
