"""Issue #10, part 5: the daily digest — one e-mail per recipient and day (the organiser's
team, coaches, partner members who opt in), in their language, with yesterday's change per
campaign, the alerts and what ends soon; the preference page."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.factories import ContributionFactory
from tests.conftest import login
from tests.factories import MembershipFactory, PartnerMembershipFactory, UserFactory
from tests.tracking.alert_helpers import coach_user, live_campaign, live_programme
from tremplin.core.dates import PARIS
from tremplin.core.models import AuditLog
from tremplin.tracking import actions
from tremplin.tracking.alerts import evaluate_alerts
from tremplin.tracking.digest import day_bounds, send_daily_digests, yesterday_changes
from tremplin.tracking.models import DigestDelivery, DigestPreference

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def send(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return send_daily_digests(now)

    return send


def yesterday_noon():
    today = timezone.localdate(timezone.now(), PARIS)
    start, _end = day_bounds(today - timedelta(days=1))
    return start + timedelta(hours=12)


@pytest.fixture
def world(organiser, manager, viewer):
    coach = coach_user(language="en")
    programme = live_programme(organiser)
    partner_member = PartnerMembershipFactory(partner__organiser=organiser)
    programme.partners.add(partner_member.partner)
    # their first gift lands today (Paris), whatever the hour of the run: only the gifts
    # below belong to yesterday
    followed = live_campaign(
        programme, raised="300", coach=coach, days_left=3, last_gift_days_ago=0
    )
    other = live_campaign(programme, raised="40", days_left=20, last_gift_days_ago=0)
    ContributionFactory(campaign=followed, amount=Decimal("25"), confirmed_at=yesterday_noon())
    ContributionFactory(campaign=followed, amount=Decimal("15"), confirmed_at=yesterday_noon())
    ContributionFactory(  # confirmed earlier, refunded yesterday
        campaign=other,
        amount=Decimal("10"),
        state="refunded",
        confirmed_at=yesterday_noon() - timedelta(days=3),
        refunded_at=yesterday_noon(),
    )
    evaluate_alerts(notify=False)
    return {
        "coach": coach,
        "programme": programme,
        "partner": partner_member.user,
        "followed": followed,
        "other": other,
    }


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_one_digest_per_recipient_in_their_language(world, manager, viewer, send):
    assert send() == {"recipients": 3, "sent": 3}  # manager, viewer, coach; not the partner
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [manager.email, viewer.email, world["coach"].email]
    )
    (french,) = to(manager.email)
    assert french.subject.startswith("Résumé quotidien des campagnes")
    assert world["followed"].title in french.body and world["other"].title in french.body
    assert "hier 40\u00a0€, 2 nouvelles contributions" in french.body
    assert "hier -10\u00a0€, 0 nouvelle contribution" in french.body
    assert "Alertes ouvertes" in french.body and "En dessous du rythme nécessaire" in french.body
    assert "Se terminent bientôt" in french.body
    assert "/suivi/alertes/" in french.body
    (english,) = to(world["coach"].email)
    assert english.subject.startswith("Daily digest of the campaigns")
    assert world["followed"].title in english.body
    assert world["other"].title not in english.body  # a coach follows their campaigns
    assert "yesterday €40, 2 new contributions" in english.body
    assert "Ending soon" in english.body
    html = english.alternatives[0][0]
    assert world["followed"].title in html
    # once a day, whatever the number of runs
    assert send() == {"recipients": 3, "sent": 0}
    call_command("tracking-digest")
    assert len(mail.outbox) == 3
    assert DigestDelivery.objects.filter(sent_at__isnull=False).count() == 3


def test_a_partner_member_who_opts_in_gets_the_figures_but_not_the_alerts(world, send):
    client = login(world["partner"])
    page = client.get(reverse("tracking:digest"))
    assert page.status_code == 200 and b'name="enabled"' in page.content
    assert b"checked" not in page.content  # off until they opt in
    assert client.post(reverse("tracking:digest"), {"enabled": "on"}).status_code == 302
    assert DigestPreference.objects.get(user=world["partner"]).enabled
    assert AuditLog.objects.filter(action=actions.DIGEST_PREFERENCE_CHANGED).count() == 1
    send()
    (digest,) = to(world["partner"].email)
    assert world["followed"].title in digest.body and world["other"].title in digest.body
    assert "Alertes ouvertes" not in digest.body and "/suivi/alertes/" not in digest.body


def test_the_team_and_coaches_may_turn_it_off(world, manager, send):
    client = login(manager)
    assert b"checked" in client.get(reverse("tracking:digest")).content
    assert client.post(reverse("tracking:digest"), {}).status_code == 302
    login(world["coach"]).post(reverse("tracking:digest"), {})
    send()
    assert to(manager.email) == [] and to(world["coach"].email) == []
    assert len(mail.outbox) == 1  # the viewer still gets it


def test_nothing_to_say_no_digest(organiser, manager, send):
    live_programme(organiser)  # no live campaign
    assert send() == {"recipients": 0, "sent": 0}
    assert mail.outbox == []


def test_another_organisers_team_gets_nothing_of_ours(world, other_manager, send):
    send()
    assert to(other_manager.email) == []


def test_a_campaign_closed_yesterday_is_in_the_digest_as_over(world, organiser, manager, send):
    from tremplin.campaigns.enums import CampaignState
    from tremplin.campaigns.models import Campaign

    Campaign.objects.filter(pk=world["other"].pk).update(
        state=CampaignState.FAILED, closed_at=yesterday_noon()
    )
    send()
    (digest,) = to(manager.email)
    assert world["other"].title in digest.body and "terminée" in digest.body


def test_yesterdays_change_counts_confirmations_less_refunds(world):
    day = timezone.localdate(timezone.now(), PARIS) - timedelta(days=1)
    changes = yesterday_changes([world["followed"].pk, world["other"].pk], day)
    assert changes == {world["followed"].pk: (4000, 2), world["other"].pk: (-1000, 0)}


def test_the_preference_page_is_for_the_team_coaches_and_partners(world, maker, manager):
    assert login(maker).get(reverse("tracking:digest")).status_code == 403
    assert login(maker).post(reverse("tracking:digest"), {"enabled": "on"}).status_code == 403
    assert not DigestPreference.objects.exists()
    assert login(world["coach"]).get(reverse("tracking:digest")).status_code == 200
    dashboard = login(manager).get(reverse("core:dashboard"))
    assert reverse("tracking:digest").encode() in dashboard.content
    assert (
        reverse("tracking:digest").encode()
        not in login(maker).get(reverse("core:dashboard")).content
    )


@pytest.mark.parametrize(
    "value", ["a\x00b", "9" * 40, "<script>alert(1)</script>", "x" * 10_000, "-1"]
)
def test_odd_values_of_the_preference_are_read_as_a_checkbox(world, value):
    """A checkbox has no bad value: anything but empty or "false" ticks it (Django's
    CheckboxInput); nothing else is read, nothing breaks."""
    client = login(world["partner"])
    response = client.post(reverse("tracking:digest"), {"enabled": value})
    assert response.status_code == 302
    assert DigestPreference.objects.get(user=world["partner"]).enabled is True


def test_a_user_without_any_role_never_gets_one(organiser, world, send):
    stranger = UserFactory()
    DigestPreference.objects.create(user=stranger, enabled=True)
    MembershipFactory()  # a member of another organiser, without live campaigns
    send()
    assert to(stranger.email) == []
