"""Can a programme take payments, and are they test payments?

A programme's provider is its ``CampaignSettings.payment_provider``, else
``settings.PAYMENTS_DEFAULT_PROVIDER`` ("" when none is set up). A checkout is refused with
a clear message (never a 500) when that provider is unknown, not available on this
installation (the sandbox without ``SANDBOX_ENABLED``) or not configured (Stripe without
its keys). The sandbox's pages show a "test mode" notice (``is_test_mode``)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from tremplin.payments.providers.base import UnknownProvider, get_provider, provider_classes

SANDBOX = "sandbox"


def programme_provider(programme) -> str:
    """The identifier of ``programme``'s payment provider, "" when it has none."""
    campaign_settings = getattr(programme, "campaign_settings", None)
    if campaign_settings is not None and campaign_settings.payment_provider:
        return campaign_settings.payment_provider
    return getattr(settings, "PAYMENTS_DEFAULT_PROVIDER", "") or ""


def is_test_mode(programme) -> bool:
    """Do ``programme``'s campaigns take test payments (the sandbox)?"""
    return programme_provider(programme) == SANDBOX


def payments_refusal(programme) -> str | None:
    """Why ``programme``'s campaigns cannot take online payments now, or None."""
    identifier = programme_provider(programme)
    cls = provider_classes().get(identifier) if identifier else None
    if cls is None or not cls.is_available():
        return _(
            "Online payments are not set up yet for this campaign: no contribution can be "
            "taken for now. Please come back later."
        )
    try:
        provider = get_provider(identifier, programme.organiser_id)
    except UnknownProvider:  # pragma: no cover (checked above)
        return _("Online payments are not set up yet for this campaign.")
    if not provider.is_configured():
        return _(
            "Online payments are not set up yet for this campaign: no contribution can be "
            "taken for now. Please come back later."
        )
    return None
