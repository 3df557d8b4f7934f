"""The campaign's life through its domain functions: every transition allowed and refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from tests.calls.helpers import image_bytes
from tests.campaigns.factories import CampaignFactory, RewardFactory
from tests.factories import MembershipFactory, SubmittedApplicationFactory, UserFactory
from tests.jury.factories import JuryFactory
from tremplin.calls.enums import Eligibility, ProgrammeState
from tremplin.campaigns import community, creation, page, reporting, review, rules
from tremplin.campaigns.enums import CampaignState, CommentState, ReviewKind
from tremplin.campaigns.errors import CampaignError
from tremplin.campaigns.models import Campaign, CampaignImage, CampaignSettings, RewardTier
from tremplin.campaigns.page import PageChanges, RewardChange
from tremplin.core.models import AuditLog
from tremplin.jury.enums import Outcome
from tremplin.jury.models import Decision

pytestmark = pytest.mark.django_db


def actions(campaign) -> list[str]:
    return list(
        AuditLog.objects.filter(object_id=str(campaign.pk), action__startswith="tremplin.campaign.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def image_file(name="photo.jpg") -> ContentFile:
    return ContentFile(image_bytes("JPEG"), name=name)


def draft(world, **kwargs) -> Campaign:
    """The world's campaign turned back into a complete draft (with an image)."""
    campaign = world.campaign
    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(
        state=kwargs.pop("state", CampaignState.DRAFT),
        starts_at=kwargs.pop("starts_at", now + timedelta(days=2)),
        ends_at=kwargs.pop("ends_at", now + timedelta(days=32)),
        launched_at=None,
        **kwargs,
    )
    campaign.refresh_from_db()
    if not campaign.images.exists():
        image = CampaignImage(campaign=campaign, alt_text="Un vélo")
        image.image.save("velo.jpg", image_file(), save=True)
    return campaign


# --- creation ------------------------------------------------------------------------------


def test_create_from_a_laureate_prefills_the_page_and_settings(organiser, manager):
    jury = JuryFactory(
        programme__organiser=organiser,
        programme__state=ProgrammeState.RESULTS,
        published_at=timezone.now(),
    )
    programme = jury.programme
    application = SubmittedApplicationFactory(
        programme=programme,
        title="Lampes en bois",
        summary="Des lampes <b>réparables</b>.",
        description="Première ligne.\n\nDeuxième <script>x</script> paragraphe.",
        funding_goal=Decimal("4200"),
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )
    Decision.objects.create(jury=jury, application=application, outcome=Outcome.LAUREATE)
    from tremplin.jury.publication import laureates

    assert list(laureates(programme)) == [application]
    assert not CampaignSettings.objects.filter(programme=programme).exists()

    campaign = creation.create_campaign(application, user=manager)

    assert campaign.state == CampaignState.DRAFT
    assert campaign.slug == "lampes-en-bois"
    assert campaign.pitch == "Des lampes <b>réparables</b>."  # escaped when shown
    assert campaign.description == (
        "<p>Première ligne.</p>\n\n<p>Deuxième &lt;script&gt;x&lt;/script&gt; paragraphe.</p>"
    )
    assert campaign.goal == Decimal("4200")
    assert campaign.video_url == application.video_url
    assert CampaignSettings.objects.filter(programme=programme).exists()
    assert actions(campaign) == ["tremplin.campaign.created"]


def test_create_refuses_a_second_campaign_ineligible_and_strangers(
    organiser, manager, viewer, other_manager, live_programme
):
    application = SubmittedApplicationFactory(programme=live_programme, title="Projet")
    with pytest.raises(CampaignError):
        creation.create_campaign(application, user=viewer)
    with pytest.raises(CampaignError):
        creation.create_campaign(application, user=other_manager)
    creation.create_campaign(application, user=manager)
    with pytest.raises(CampaignError, match="already has a campaign"):
        creation.create_campaign(application, user=manager)
    ineligible = SubmittedApplicationFactory(
        programme=live_programme, eligibility=Eligibility.INELIGIBLE
    )
    with pytest.raises(CampaignError, match="ineligible"):
        creation.create_campaign(ineligible, user=manager)
    assert Campaign.objects.filter(programme=live_programme).count() == 1


def test_create_refused_while_the_call_is_open(programme, manager):
    application = SubmittedApplicationFactory(programme=programme)
    with pytest.raises(CampaignError, match="call for projects is closed"):
        creation.create_campaign(application, user=manager)


def test_two_titles_get_two_slugs(live_programme, manager):
    first = creation.create_campaign(
        SubmittedApplicationFactory(programme=live_programme, title="Même titre"), user=manager
    )
    second = creation.create_campaign(
        SubmittedApplicationFactory(programme=live_programme, title="Même titre"), user=manager
    )
    assert (first.slug, second.slug) == ("meme-titre", "meme-titre-2")


# --- the page --------------------------------------------------------------------------------


def test_maker_edits_a_draft_with_sanitised_description(world):
    campaign = draft(world)
    page.update_campaign_page(
        campaign,
        user=world.maker,
        changes=PageChanges(
            fields={
                "pitch": "Nouveau pitch",
                "description": '<p onclick="x()">Bonjour<script>alert(1)</script></p>',
                "goal": Decimal("6000"),
            },
            new_images=[(image_file(), "Deuxième image")],
            rewards=[RewardChange(pk=None, title="Merci", min_amount=Decimal("10"), stock=5)],
        ),
    )
    campaign.refresh_from_db()
    assert campaign.pitch == "Nouveau pitch"
    assert campaign.description == "<p>Bonjour</p>"
    assert campaign.goal == Decimal("6000")
    assert campaign.images.count() == 2
    assert campaign.rewards.get().stock == 5


def test_goal_and_dates_locked_once_live(world):
    campaign = world.campaign
    for name, value in [
        ("goal", Decimal("9000")),
        ("ends_at", campaign.ends_at + timedelta(days=3)),
        ("starts_at", campaign.starts_at - timedelta(days=3)),
    ]:
        with pytest.raises(CampaignError, match="cannot change"):
            page.update_campaign_page(
                campaign, user=world.maker, changes=PageChanges(fields={name: value})
            )
    # the content can still change
    page.update_campaign_page(
        campaign,
        user=world.maker,
        changes=PageChanges(fields={"pitch": "Mieux dit", "goal": campaign.goal}),
    )
    campaign.refresh_from_db()
    assert campaign.pitch == "Mieux dit"
    assert campaign.goal == Decimal("5000.00")


@pytest.mark.parametrize(
    "state", [CampaignState.IN_REVIEW, CampaignState.APPROVED, CampaignState.SCHEDULED]
)
def test_page_locked_under_review(world, state):
    campaign = draft(world, state=state)
    with pytest.raises(CampaignError, match="under review"):
        page.update_campaign_page(
            campaign, user=world.maker, changes=PageChanges(fields={"pitch": "x"})
        )


@pytest.mark.parametrize("state", [CampaignState.SUCCEEDED, CampaignState.SETTLED])
def test_page_locked_once_over(world, state):
    campaign = draft(world, state=state)
    with pytest.raises(CampaignError, match="over"):
        page.update_campaign_page(
            campaign, user=world.maker, changes=PageChanges(fields={"pitch": "x"})
        )


def test_only_the_maker_or_organiser_edits(world):
    campaign = draft(world)
    for person in (world.other_maker, world.coach, world.viewer, world.other_manager):
        with pytest.raises(CampaignError):
            page.update_campaign_page(
                campaign, user=person, changes=PageChanges(fields={"pitch": "x"})
            )
    page.update_campaign_page(
        campaign, user=world.manager, changes=PageChanges(fields={"pitch": "Par l'organisateur"})
    )


def test_goal_out_of_programme_bounds_refused(world):
    campaign = draft(world)
    with pytest.raises(CampaignError, match="between"):
        page.update_campaign_page(
            campaign, user=world.maker, changes=PageChanges(fields={"goal": Decimal("999999")})
        )


def test_dates_out_of_order_refused(world):
    campaign = draft(world)
    with pytest.raises(CampaignError, match="end after it starts"):
        page.update_campaign_page(
            campaign,
            user=world.maker,
            changes=PageChanges(fields={"ends_at": campaign.starts_at - timedelta(hours=1)}),
        )


def test_reward_stock_never_below_claimed_and_claimed_reward_kept(world):
    campaign = world.campaign
    reward = RewardFactory(campaign=campaign, stock=10, claimed=4, title="Affiche")
    change = RewardChange(pk=reward.pk, title="Affiche", min_amount=reward.min_amount, stock=3)
    with pytest.raises(CampaignError, match="below"):
        page.update_campaign_page(campaign, user=world.maker, changes=PageChanges(rewards=[change]))
    change.delete = True
    with pytest.raises(CampaignError, match="cannot be removed"):
        page.update_campaign_page(campaign, user=world.maker, changes=PageChanges(rewards=[change]))
    change.delete, change.stock = False, 4
    page.update_campaign_page(campaign, user=world.maker, changes=PageChanges(rewards=[change]))
    reward.refresh_from_db()
    assert (reward.stock, reward.claimed) == (4, 4)


def test_reward_update_never_overwrites_claimed(world):
    """A checkout may claim stock while the maker edits: ``claimed`` is never written back."""
    campaign = world.campaign
    reward = RewardFactory(campaign=campaign, stock=10, claimed=2)
    RewardTier.objects.filter(pk=reward.pk).update(claimed=5)  # a checkout meanwhile
    page.update_campaign_page(
        campaign,
        user=world.maker,
        changes=PageChanges(
            rewards=[RewardChange(pk=reward.pk, title="Nouveau", min_amount=Decimal("30"), stock=8)]
        ),
    )
    reward.refresh_from_db()
    assert (reward.title, reward.stock, reward.claimed) == ("Nouveau", 8, 5)


def test_unclaimed_reward_removed_and_foreign_reward_refused(world):
    campaign = world.campaign
    reward = RewardFactory(campaign=campaign)
    foreign = RewardFactory()
    with pytest.raises(CampaignError, match="does not belong"):
        page.update_campaign_page(
            campaign,
            user=world.maker,
            changes=PageChanges(rewards=[RewardChange(pk=foreign.pk, delete=True)]),
        )
    page.update_campaign_page(
        campaign,
        user=world.maker,
        changes=PageChanges(rewards=[RewardChange(pk=reward.pk, delete=True)]),
    )
    assert not RewardTier.objects.filter(pk=reward.pk).exists()
    assert RewardTier.objects.filter(pk=foreign.pk).exists()


def test_too_many_images_refused(world):
    campaign = draft(world)
    new = [(image_file(f"{i}.jpg"), "") for i in range(page.MAX_IMAGES)]
    with pytest.raises(CampaignError, match="at most"):
        page.update_campaign_page(campaign, user=world.maker, changes=PageChanges(new_images=new))
    assert campaign.images.count() == 1


# --- review --------------------------------------------------------------------------------


def test_submit_incomplete_refused(world):
    campaign = draft(world)
    campaign.images.all().delete()
    Campaign.objects.filter(pk=campaign.pk).update(pitch="", description="")
    campaign.refresh_from_db()
    with pytest.raises(CampaignError) as error:
        review.submit_for_review(campaign, user=world.maker)
    message = " ".join(error.value.messages)
    for piece in ("pitch", "description", "image"):
        assert piece in message
    assert campaign.state == CampaignState.DRAFT


def test_submit_without_dates_refused(world):
    campaign = draft(world, starts_at=None, ends_at=None)
    with pytest.raises(CampaignError, match="dates"):
        review.submit_for_review(campaign, user=world.maker)


def test_full_review_cycle(world):
    campaign = draft(world)
    with pytest.raises(CampaignError):
        review.submit_for_review(campaign, user=world.other_maker)
    with pytest.raises(CampaignError):
        review.approve(campaign, user=world.manager)  # still a draft

    review.submit_for_review(campaign, user=world.maker)
    assert campaign.state == CampaignState.IN_REVIEW
    assert campaign.submitted_at is not None
    with pytest.raises(CampaignError):
        review.submit_for_review(campaign, user=world.maker)  # twice
    with pytest.raises(CampaignError, match="Write what should change"):
        review.request_changes(campaign, user=world.coach, message="  ")
    for stranger in (world.other_coach, world.viewer, world.other_manager, world.maker):
        with pytest.raises(CampaignError):
            review.request_changes(campaign, user=stranger, message="Non")
        with pytest.raises(CampaignError):
            review.approve(campaign, user=stranger)

    review.request_changes(campaign, user=world.coach, message="Ajoutez une photo.")
    assert campaign.state == CampaignState.CHANGES_REQUESTED
    note = campaign.review_notes.get()
    assert (note.kind, note.body, note.author) == (
        ReviewKind.CHANGES_REQUESTED,
        "Ajoutez une photo.",
        world.coach,
    )
    page.update_campaign_page(
        campaign, user=world.maker, changes=PageChanges(fields={"pitch": "Mieux"})
    )
    review.submit_for_review(campaign, user=world.maker)
    review.approve(campaign, user=world.manager, message="Parfait")
    assert campaign.state == CampaignState.APPROVED
    assert campaign.approved_at is not None
    with pytest.raises(CampaignError):
        review.schedule(campaign, user=world.coach)  # the organiser schedules
    with pytest.raises(CampaignError):
        review.schedule(campaign, user=world.viewer)
    review.schedule(campaign, user=world.manager)
    assert campaign.state == CampaignState.SCHEDULED
    assert actions(campaign) == [
        "tremplin.campaign.submitted",
        "tremplin.campaign.changes_requested",
        "tremplin.campaign.changed",
        "tremplin.campaign.submitted",
        "tremplin.campaign.approved",
        "tremplin.campaign.scheduled",
    ]


def test_coach_can_approve_the_campaign_they_coach(world):
    campaign = draft(world, state=CampaignState.IN_REVIEW)
    review.approve(campaign, user=world.coach)
    assert campaign.state == CampaignState.APPROVED


def test_approve_refused_with_past_deadline(world):
    now = timezone.now()
    campaign = draft(
        world,
        state=CampaignState.IN_REVIEW,
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=1),
    )
    with pytest.raises(CampaignError, match="deadline is in the past"):
        review.approve(campaign, user=world.manager)
    assert campaign.state == CampaignState.IN_REVIEW


def test_approve_refused_with_goal_out_of_bounds_or_dates_out_of_order(world):
    now = timezone.now()
    campaign = draft(world, state=CampaignState.IN_REVIEW, goal=Decimal("999999"))
    with pytest.raises(CampaignError, match="between"):
        review.approve(campaign, user=world.manager)
    campaign = draft(
        world,
        state=CampaignState.IN_REVIEW,
        goal=Decimal("5000"),
        starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=4),
    )
    with pytest.raises(CampaignError, match="end after it starts"):
        review.approve(campaign, user=world.manager)


def test_schedule_with_dates_and_refusals(world):
    now = timezone.now()
    campaign = draft(world, state=CampaignState.APPROVED)
    with pytest.raises(CampaignError, match="past"):
        review.schedule(
            campaign,
            user=world.manager,
            starts_at=now - timedelta(days=3),
            ends_at=now - timedelta(days=1),
        )
    starts, ends = now + timedelta(days=1), now + timedelta(days=20)
    review.schedule(campaign, user=world.manager, starts_at=starts, ends_at=ends)
    assert (campaign.state, campaign.starts_at, campaign.ends_at) == (
        CampaignState.SCHEDULED,
        starts,
        ends,
    )
    # rescheduling before the start is allowed
    review.schedule(campaign, user=world.manager, starts_at=starts + timedelta(days=1))
    assert campaign.starts_at == starts + timedelta(days=1)


def test_schedule_with_a_past_start_launches_at_once(world):
    now = timezone.now()
    campaign = draft(world, state=CampaignState.APPROVED)
    review.schedule(
        campaign,
        user=world.manager,
        starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(days=9),
    )
    assert campaign.state == CampaignState.LIVE
    assert campaign.launched_at is not None


def test_schedule_refused_before_approval(world):
    campaign = draft(world, state=CampaignState.IN_REVIEW)
    with pytest.raises(CampaignError):
        review.schedule(campaign, user=world.manager)


def test_request_changes_pulls_back_an_approved_or_scheduled_page(world):
    for state in (CampaignState.APPROVED, CampaignState.SCHEDULED):
        campaign = draft(world, state=state)
        review.request_changes(campaign, user=world.manager, message="Un détail")
        assert campaign.state == CampaignState.CHANGES_REQUESTED


def test_live_campaign_cannot_be_sent_back(world):
    with pytest.raises(CampaignError):
        review.request_changes(world.campaign, user=world.manager, message="Trop tard")


def test_assign_coach(world, coach):
    campaign = world.campaign
    creation.assign_coach(campaign, user=world.manager, coach=coach)
    assert campaign.coach == coach
    with pytest.raises(CampaignError, match="not a coach"):
        creation.assign_coach(campaign, user=world.manager, coach=world.maker)
    with pytest.raises(CampaignError):
        creation.assign_coach(campaign, user=world.viewer, coach=None)
    creation.assign_coach(campaign, user=world.manager, coach=None)
    assert campaign.coach is None


# --- settings ------------------------------------------------------------------------------


def test_funding_rule_locked_once_a_campaign_is_live(world):
    settings = world.campaign.programme.campaign_settings
    settings.funding_rule = "keep_it_all"
    with pytest.raises(CampaignError, match="cannot change"):
        creation.save_settings(settings, user=world.manager, changed=["funding_rule"])
    settings.refresh_from_db()
    settings.min_contribution = Decimal("10")
    creation.save_settings(settings, user=world.manager, changed=["min_contribution"])
    settings.refresh_from_db()
    assert (settings.funding_rule, settings.min_contribution) == ("all_or_nothing", Decimal("10"))
    settings.max_contribution = Decimal("2")
    with pytest.raises(CampaignError, match="minimum"):
        creation.save_settings(settings, user=world.manager, changed=["max_contribution"])
    with pytest.raises(CampaignError):
        creation.save_settings(settings, user=world.viewer, changed=[])


# --- comments -------------------------------------------------------------------------------


def test_comment_reply_hide_and_reports(world):
    campaign = world.campaign
    visitor = UserFactory(full_name="Paul Visiteur")
    comment = community.post_comment(campaign, user=visitor, body="Super !")
    assert comment.author_name == "Paul Visiteur"
    with pytest.raises(CampaignError):
        community.post_comment(campaign, user=visitor, body="Moi aussi", reply_to=comment)
    reply = community.post_comment(campaign, user=world.maker, body="Merci", reply_to=comment)
    assert reply.reply_to == comment
    with pytest.raises(CampaignError):
        community.hide_comment(comment, user=visitor)
    with pytest.raises(CampaignError):
        community.hide_comment(comment, user=world.viewer)
    community.hide_comment(comment, user=world.manager)
    assert comment.state == CommentState.HIDDEN
    community.hide_comment(comment, user=world.maker, hidden=False)
    assert comment.state == CommentState.VISIBLE

    other = community.post_comment(campaign, user=visitor, body="Spam")
    for count in (1, 2):
        reporting.report_comment(other, user=UserFactory(), address="192.0.2.1")
        assert (other.report_count, other.state) == (count, CommentState.VISIBLE)
    reporting.report_comment(other, user=UserFactory(), address="192.0.2.1")
    assert (other.report_count, other.state) == (3, CommentState.HIDDEN)
    assert "tremplin.campaign.comment_auto_hidden" in actions(campaign)


def test_no_comment_on_a_draft_and_no_empty_comment(world):
    visitor = UserFactory()
    with pytest.raises(CampaignError, match="Write"):
        community.post_comment(world.campaign, user=visitor, body="   ")
    campaign = draft(world)
    with pytest.raises(CampaignError, match="live"):
        community.post_comment(campaign, user=visitor, body="Trop tôt")


def test_news_only_by_the_maker_of_a_public_campaign(world):
    with pytest.raises(CampaignError):
        community.post_update(world.campaign, user=world.manager, title="T", body="B")
    campaign = draft(world)
    with pytest.raises(CampaignError, match="live"):
        community.post_update(campaign, user=world.maker, title="T", body="B")


def test_organiser_member_of_another_organiser_has_no_rights(world):
    member = MembershipFactory().user
    assert not rules.can_preview(member, world.campaign)
    assert not rules.can_review(member, world.campaign)
    assert not rules.can_moderate(member, world.campaign)


def test_campaign_factory_defaults_are_live_and_consistent():
    campaign = CampaignFactory()
    assert campaign.state == CampaignState.LIVE
    assert campaign.programme.campaign_settings.payment_provider == "sandbox"
    assert campaign.application.programme == campaign.programme
