"""The organiser's back-office and the coach's review page, through their pages."""

from __future__ import annotations

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.conftest import english_client
from tests.campaigns.factories import CampaignFactory, CommentFactory
from tests.campaigns.helpers import html_language
from tests.factories import ProgrammeFactory, SubmittedApplicationFactory, UserFactory
from tests.jury.factories import JuryFactory
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns.enums import CampaignState, CommentState, ReviewKind
from tremplin.campaigns.models import Campaign, CampaignSettings
from tremplin.core.models import AuditLog
from tremplin.jury.enums import Outcome
from tremplin.jury.models import Decision

pytestmark = pytest.mark.django_db


def org(world) -> str:
    return world.campaign.programme.organiser.slug


def detail_url(world, campaign=None) -> str:
    campaign = campaign or world.campaign
    return reverse("campaigns_manage:detail", args=[org(world), campaign.slug])


def set_state(campaign, state, **fields) -> Campaign:
    Campaign.objects.filter(pk=campaign.pk).update(state=state, **fields)
    campaign.refresh_from_db()
    return campaign


def paris(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- list ----------------------------------------------------------------------------------


def test_list_shows_figures_and_filters(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(
        raised_amount=Decimal("2500"), contributor_count=30
    )
    other_programme = ProgrammeFactory(
        organiser=world.campaign.programme.organiser, state=ProgrammeState.CAMPAIGNS_LIVE
    )
    CampaignFactory(programme=other_programme, title="Autre édition", state=CampaignState.DRAFT)
    CampaignFactory(title="Chez un autre organisateur")
    browser = english_client(world.manager)
    url = reverse("campaigns_manage:list", args=[org(world)])
    html = browser.get(url).content.decode()
    assert "Atelier vélo" in html and "Autre édition" in html
    assert "Chez un autre organisateur" not in html
    assert "€2,500" in html and "50 %" in html
    filtered = browser.get(url, {"programme": other_programme.slug}).content.decode()
    assert "Autre édition" in filtered and "Atelier vélo" not in filtered
    drafts = browser.get(url, {"state": "draft"}).content.decode()
    assert "Autre édition" in drafts and "Atelier vélo" not in drafts
    assert browser.get(url, {"state": "<script>"}).status_code == 200


HOSTILE = ["\x00", "a\x00b", "9" * 40, "-1", "١", "é" * 300]


@pytest.mark.parametrize("value", HOSTILE)
def test_list_filters_ignore_hostile_values(world, value):
    """Issue #9: ``?programme=%00`` was a 500 on PostgreSQL (DataError); a filter that is
    not one offered is ignored before any query."""
    browser = english_client(world.manager)
    url = reverse("campaigns_manage:list", args=[org(world)])
    for params in ({"programme": value}, {"state": value}, {"programme": value, "state": value}):
        response = browser.get(url, params)
        assert response.status_code == 200, params
        assert "Atelier vélo" in response.content.decode()
    foreign = CampaignFactory(title="Chez un autre organisateur")
    filtered = browser.get(url, {"programme": foreign.programme.slug}).content.decode()
    assert "Atelier vélo" in filtered and "Chez un autre organisateur" not in filtered


@pytest.mark.parametrize("value", HOSTILE)
def test_detail_forms_refuse_hostile_ids(world, value):
    """The coach, the comment to moderate and the application of a new campaign: a value
    that is not an id is a 400, never a 500."""
    browser = english_client(world.manager)
    assert browser.post(detail_url(world), {"action": "coach", "coach": value}).status_code == 400
    for action in ("hide_comment", "show_comment"):
        data = {"action": action, "comment": value}
        assert browser.post(detail_url(world), data).status_code == 400
    create = reverse("campaigns_manage:create", args=[org(world)])
    assert browser.post(create, {"application": value}).status_code == 400


@pytest.mark.parametrize("n", [2, 20])
def test_list_no_n_plus_one(world, django_assert_max_num_queries, n):
    for _ in range(n):
        CampaignFactory(programme=world.campaign.programme, coach=world.coach)
    browser = english_client(world.manager)
    with django_assert_max_num_queries(8):
        response = browser.get(reverse("campaigns_manage:list", args=[org(world)]))
    assert response.status_code == 200


# --- creation ------------------------------------------------------------------------------


def test_create_from_a_laureate(organiser, manager, django_capture_on_commit_callbacks):
    jury = JuryFactory(
        programme__organiser=organiser,
        programme__state=ProgrammeState.RESULTS,
        published_at=timezone.now(),
    )
    maker = UserFactory(language="en")
    laureate = SubmittedApplicationFactory(
        programme=jury.programme, title="Lampes en bois", maker=maker
    )
    Decision.objects.create(jury=jury, application=laureate, outcome=Outcome.LAUREATE)
    browser = english_client(manager)
    url = reverse("campaigns_manage:create", args=[organiser.slug])
    assert "Lampes en bois" in browser.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(url, {"application": laureate.pk})
    campaign = Campaign.objects.get(application=laureate)
    assert response["Location"] == reverse(
        "campaigns_manage:detail", args=[organiser.slug, campaign.slug]
    )
    assert campaign.state == CampaignState.DRAFT
    assert [m.to for m in mail.outbox] == [[maker.email]]
    assert html_language(mail.outbox[0]) == "en"
    assert "Lampes en bois" not in browser.get(url).content.decode().split("Another application")[0]


def test_create_bad_input(world, other_manager):
    browser = english_client(world.manager)
    url = reverse("campaigns_manage:create", args=[org(world)])
    foreign = SubmittedApplicationFactory()  # another organiser's
    for data in (
        {},
        {"application": ""},
        {"application": "abc"},
        {"application": 999999},
        {"application": foreign.pk},
        {"application": world.campaign.application_id},
    ):
        response = browser.post(url, data)
        assert response.status_code == 400, data
    assert not Campaign.objects.filter(application=foreign).exists()


# --- detail: review, schedule, coach, settle, moderation -------------------------------------


def test_detail_shows_figures_notes_and_history(world):
    html = english_client(world.viewer).get(detail_url(world)).content.decode()
    assert "Atelier vélo" in html and "History" in html
    assert 'name="action" value="schedule"' not in html  # a viewer changes nothing


def test_request_changes_and_approve_from_the_detail(world, django_capture_on_commit_callbacks):
    campaign = set_state(world.campaign, CampaignState.IN_REVIEW, launched_at=None)
    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(
        starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=20)
    )
    browser = english_client(world.manager)
    for message, error in [("", "This field is required"), ("x" * 5001, "at most 5000")]:
        response = browser.post(
            detail_url(world), {"action": "request_changes", "changes-message": message}
        )
        assert response.status_code == 400
        assert error in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            detail_url(world),
            {"action": "request_changes", "changes-message": "<b>Plus</b> de photos"},
        )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.CHANGES_REQUESTED
    assert [m.to[0] for m in mail.outbox] == [world.maker.email]
    assert "Plus</b> de photos" in mail.outbox[0].body
    html = browser.get(detail_url(world)).content.decode()
    assert "&lt;b&gt;Plus&lt;/b&gt; de photos" in html
    # approving is refused until it is submitted again
    response = browser.post(detail_url(world), {"action": "approve", "approve-message": ""})
    assert response.status_code == 400
    set_state(campaign, CampaignState.IN_REVIEW)
    response = browser.post(detail_url(world), {"action": "approve", "approve-message": ""})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.APPROVED


def test_approve_with_a_past_deadline_is_refused(world):
    now = timezone.now()
    set_state(
        world.campaign,
        CampaignState.IN_REVIEW,
        starts_at=now - timedelta(days=5),
        ends_at=now - timedelta(days=1),
    )
    response = english_client(world.manager).post(
        detail_url(world), {"action": "approve", "approve-message": ""}
    )
    assert response.status_code == 400
    assert "deadline is in the past" in response.content.decode()
    world.campaign.refresh_from_db()
    assert world.campaign.state == CampaignState.IN_REVIEW


def test_schedule_with_paris_dates(world, django_capture_on_commit_callbacks):
    campaign = set_state(world.campaign, CampaignState.APPROVED, launched_at=None)
    browser = english_client(world.manager)
    data = {"action": "schedule", "starts_at": "2099-09-09T10:00", "ends_at": "2099-10-18T23:59"}
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(detail_url(world), data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SCHEDULED
    assert paris(campaign.starts_at) == "2099-09-09T10:00"
    assert campaign.starts_at.astimezone(UTC).hour == 8  # stored in UTC (summer time: +2)
    assert timezone.localtime(campaign.ends_at).hour == 23
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.maker.email, world.coach.email])


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        ("", "", "This field is required"),
        ("demain", "2099-10-18T23:59", "Enter a valid date/time"),
        ("2099-10-18T10:00", "2099-09-09T10:00", "end after it starts"),
        ("2020-01-01T10:00", "2020-02-01T10:00", "in the future"),
        ("2099-03-29T02:30", "2099-04-18T10:00", "summer time"),
    ],
)
def test_schedule_bad_dates(world, starts, ends, message):
    campaign = set_state(world.campaign, CampaignState.APPROVED, launched_at=None)
    response = english_client(world.manager).post(
        detail_url(world), {"action": "schedule", "starts_at": starts, "ends_at": ends}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.APPROVED


def test_schedule_refused_before_approval(world):
    set_state(world.campaign, CampaignState.IN_REVIEW)
    response = english_client(world.manager).post(
        detail_url(world),
        {"action": "schedule", "starts_at": "2099-09-09T10:00", "ends_at": "2099-10-18T23:59"},
    )
    assert response.status_code == 400


def test_assign_coach(world, coach, django_capture_on_commit_callbacks):
    browser = english_client(world.manager)
    for bad in (world.maker.pk, "abc", 999999):
        assert browser.post(detail_url(world), {"action": "coach", "coach": bad}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(detail_url(world), {"action": "coach", "coach": coach.pk})
    assert response.status_code == 302
    world.campaign.refresh_from_db()
    assert world.campaign.coach == coach
    assert [m.to[0] for m in mail.outbox] == [coach.email]
    assert AuditLog.objects.filter(action="tremplin.campaign.coach_assigned").count() == 1


def test_settle(world):
    """The detail page's button posts to funding's settlement (campaigns does not settle
    money), which comes back to the detail page."""
    browser = english_client(world.manager)
    assert "funding_manage" not in detail_url(world)
    settle_url = reverse("funding_manage:settle", args=[org(world), world.campaign.slug])
    response = browser.post(settle_url, {"back": "detail"})
    assert response.status_code == 302  # refused: still live
    assert response["Location"] == detail_url(world)
    world.campaign.refresh_from_db()
    assert world.campaign.state == CampaignState.LIVE
    set_state(
        world.campaign,
        CampaignState.SUCCEEDED,
        raised_amount=Decimal("25"),
        contributor_count=1,
        closed_at=timezone.now(),
    )
    html = browser.get(detail_url(world)).content.decode()
    assert f'action="{settle_url}"' in html
    response = browser.post(settle_url, {"back": "detail"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == detail_url(world)
    world.campaign.refresh_from_db()
    assert world.campaign.state == CampaignState.SETTLED
    assert world.campaign.settled_at is not None


def test_moderate_comments_from_the_detail(world):
    comment = CommentFactory(campaign=world.campaign, report_count=2)
    foreign = CommentFactory()
    browser = english_client(world.manager)
    html = browser.get(detail_url(world)).content.decode()
    assert comment.body in html
    assert (
        browser.post(
            detail_url(world), {"action": "hide_comment", "comment": foreign.pk}
        ).status_code
        == 400
    )
    assert (
        browser.post(
            detail_url(world), {"action": "hide_comment", "comment": comment.pk}
        ).status_code
        == 302
    )
    comment.refresh_from_db()
    foreign.refresh_from_db()
    assert (comment.state, foreign.state) == (CommentState.HIDDEN, CommentState.VISIBLE)


def test_unknown_action(world):
    assert (
        english_client(world.manager).post(detail_url(world), {"action": "launch"}).status_code
        == 400
    )


# --- settings -------------------------------------------------------------------------------


def settings_data(**overrides) -> dict:
    return {
        "funding_rule": "keep_it_all",
        "min_contribution": "2",
        "max_contribution": "1 500,50",
        "fee_percent": "4,5",
        "payment_provider": "stripe",
        **overrides,
    }


def test_settings_created_for_a_programme(organiser, manager):
    programme = ProgrammeFactory(organiser=organiser, state=ProgrammeState.RESULTS)
    url = reverse("campaigns_manage:settings", args=[organiser.slug, programme.slug])
    browser = english_client(manager)
    assert browser.get(url).status_code == 200
    assert browser.post(url, settings_data()).status_code == 302
    rules = CampaignSettings.objects.get(programme=programme)
    assert (rules.funding_rule, rules.min_contribution, rules.max_contribution) == (
        "keep_it_all",
        Decimal("2"),
        Decimal("1500.50"),
    )
    assert (rules.fee_percent, rules.payment_provider) == (Decimal("4.5"), "stripe")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("min_contribution", "", "This field is required"),
        ("min_contribution", "-5", "between"),
        ("min_contribution", "0", "between"),
        ("min_contribution", "NaN", "Enter a number"),
        ("max_contribution", "1e9", "Enter a number"),
        ("max_contribution", "99999999", "between"),
        ("max_contribution", "1", "at least the minimum"),
        ("fee_percent", "25", "between 0 and 20"),
        ("fee_percent", "-1", "between 0 and 20"),
        ("payment_provider", "paypal", "Select a valid choice"),
        ("funding_rule", "<script>", "Select a valid choice"),
    ],
)
def test_settings_bad_input(organiser, manager, field, value, message):
    programme = ProgrammeFactory(organiser=organiser, state=ProgrammeState.RESULTS)
    url = reverse("campaigns_manage:settings", args=[organiser.slug, programme.slug])
    response = english_client(manager).post(url, settings_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CampaignSettings.objects.filter(programme=programme).exists()


def test_funding_rule_locked_in_the_form_once_live(world):
    url = reverse("campaigns_manage:settings", args=[org(world), world.campaign.programme.slug])
    browser = english_client(world.manager)
    assert "Locked" in browser.get(url).content.decode()
    assert browser.post(url, settings_data(funding_rule="keep_it_all")).status_code == 302
    rules = world.campaign.programme.campaign_settings
    rules.refresh_from_db()
    assert rules.funding_rule == "all_or_nothing"  # the disabled field kept its value
    assert rules.min_contribution == Decimal("2")


# --- the coach's review page -------------------------------------------------------------------


def test_coach_requests_changes_then_approves(world, django_capture_on_commit_callbacks):
    now = timezone.now()
    campaign = set_state(
        world.campaign,
        CampaignState.IN_REVIEW,
        starts_at=now + timedelta(days=1),
        ends_at=now + timedelta(days=30),
        launched_at=None,
    )
    url = reverse("campaigns:coach_review", args=[campaign.slug])
    browser = english_client(world.coach)
    html = browser.get(url).content.decode()
    assert "Page preview" in html and "Approve" in html
    response = browser.post(url, {"action": "request_changes", "changes-message": ""})
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            url, {"action": "request_changes", "changes-message": "Une vidéo ?"}
        )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.CHANGES_REQUESTED
    assert html_language(mail.outbox[-1]) == "fr"  # the maker reads French
    assert browser.post(url, {"action": "approve"}).status_code == 400  # not in review
    set_state(campaign, CampaignState.IN_REVIEW)
    assert browser.post(url, {"action": "approve", "approve-message": "Top"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.APPROVED
    assert list(campaign.review_notes.values_list("kind", flat=True)) == [
        ReviewKind.CHANGES_REQUESTED,
        ReviewKind.APPROVED,
    ]
    assert browser.post(url, {"action": "note", "note-message": ""}).status_code == 400
    assert browser.post(url, {"action": "note", "note-message": "Bravo"}).status_code == 302
    assert browser.post(url, {"action": "nope"}).status_code == 400
