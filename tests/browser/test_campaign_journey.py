"""A campaign from draft to live in a browser: the maker completes the page and submits it,
the coach approves it, the organiser schedules it (it goes live at once), a visitor reads
it (the video loads only on click) and the maker posts news. axe-core runs on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.browser.world import draft_campaign
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world():
    return draft_campaign()


def test_campaign_from_draft_to_live(browser, live_server, axe, settings):
    settings.SITE_URL = live_server.url
    manager, coach, campaign = _world()
    maker = campaign.maker

    # The maker completes the page (a reward) and submits it for review.
    maker_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = log_in(maker_context, maker)
    page.goto(reverse("campaigns:edit", args=[campaign.slug]))
    axe.check(page)
    page.fill("[name=rewards-0-title]", "Carte postale")
    page.fill("[name=rewards-0-min_amount]", "15")
    page.fill("[name=rewards-0-stock]", "40")
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_url("**" + reverse("campaigns:edit", args=[campaign.slug]))
    assert campaign.rewards.get().title == "Carte postale"
    page.goto(reverse("campaigns:backstage", args=[campaign.slug]))
    axe.check(page)
    page.locator("form:has(input[name=action][value=submit]) button").click()
    page.wait_for_url("**" + reverse("campaigns:backstage", args=[campaign.slug]))
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.IN_REVIEW

    # The coach approves it.
    coach_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = log_in(coach_context, coach)
    page.goto(reverse("campaigns:coach_review", args=[campaign.slug]))
    axe.check(page)
    page.fill("[name=approve-message]", "Très belle page.")
    page.locator("form:has(input[name=action][value=approve]) button").click()
    page.wait_for_url("**" + reverse("campaigns:coach_review", args=[campaign.slug]))
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.APPROVED
    coach_context.close()

    # The organiser schedules it, starting now: it goes live at once.
    manager_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = log_in(manager_context, manager)
    detail = reverse("campaigns_manage:detail", args=["mel", campaign.slug])
    page.goto(detail)
    axe.check(page)
    start = timezone.localtime(timezone.now() - timedelta(minutes=5))
    page.fill("[name=starts_at]", start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("form:has(input[name=action][value=schedule]) button").click()
    page.wait_for_url("**" + detail)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.LIVE
    page.goto(reverse("campaigns_manage:list", args=["mel"]))
    axe.check(page)
    manager_context.close()

    # A visitor reads the page: nothing is loaded from the video host before the click.
    visitor = browser.new_context(base_url=live_server.url, locale="fr-FR")
    page = visitor.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.abort())
    page.goto(reverse("campaigns:campaign", args=[campaign.slug]))
    axe.check(page)
    assert page.locator("iframe").count() == 0
    assert outside == []
    page.locator("[data-video-play]").click()
    page.wait_for_selector("iframe.video-frame")
    assert any("youtube-nocookie.com" in url for url in outside)
    visitor.close()

    # The maker posts news; it appears on the page.
    page = maker_context.new_page()
    page.goto(reverse("campaigns:backstage", args=[campaign.slug]))
    page.fill("[name=title]", "Les premiers prototypes")
    page.fill("[name=body]", "Ils sont prêts : merci à tous !")
    page.locator("form:has(input[name=action][value=update]) button").click()
    page.wait_for_url("**" + reverse("campaigns:backstage", args=[campaign.slug]) + "#news")
    axe.check(page)
    page.goto(reverse("campaigns:campaign", args=[campaign.slug]))
    assert page.get_by_text("Les premiers prototypes").count() == 1
    maker_context.close()
    assert Campaign.objects.get(pk=campaign.pk).updates.count() == 1
