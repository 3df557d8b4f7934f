"""The kit's e-mails: the proof is ready (to the maker and the organiser's administrators
and managers, each once), queued after commit."""

from __future__ import annotations

from django.urls import reverse

from tremplin.campaigns.mails import organiser_editors
from tremplin.core.mail import send_mail_on_commit
from tremplin.kit.models import KitVersion


def mail_proof_ready(version: KitVersion) -> None:
    campaign = version.campaign
    maker = campaign.application.maker
    context = {
        "title": campaign.title,
        "programme": campaign.programme.name,
        "number": version.number,
        "proof_path": reverse("kit:proof", args=[campaign.slug]),
        "manage_path": reverse(
            "kit_manage:campaign_kit", args=[campaign.programme.organiser.slug, campaign.slug]
        ),
    }
    send_mail_on_commit("kit/email/proof_ready", maker.email, context, language=maker.language)
    for editor in organiser_editors(campaign).exclude(pk=maker.pk):
        send_mail_on_commit(
            "kit/email/proof_ready",
            editor.email,
            {**context, "for_organiser": True},
            language=editor.language,
        )
