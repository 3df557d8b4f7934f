"""The maker's backstage and page editor, through the pages the maker uses: good input and
bad input (which re-renders with status 400 and changes nothing)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.calls.helpers import image_bytes, jpeg_upload, pdf_bytes, png_claiming_size, upload
from tests.campaigns.conftest import english_client
from tests.campaigns.factories import CommentFactory, ContributionFactory, RewardFactory
from tests.campaigns.helpers import html_language
from tests.factories import UserFactory
from tremplin.campaigns import community, page
from tremplin.campaigns.enums import CampaignState, CommentState
from tremplin.campaigns.models import Campaign, CampaignImage, CampaignUpdate, RewardTier

pytestmark = pytest.mark.django_db

PARIS_FORMAT = "%Y-%m-%dT%H:%M"


def edit_url(campaign) -> str:
    return reverse("campaigns:edit", args=[campaign.slug])


def backstage_url(campaign) -> str:
    return reverse("campaigns:backstage", args=[campaign.slug])


def local(moment) -> str:
    return timezone.localtime(moment).strftime(PARIS_FORMAT)


def page_data(campaign, **overrides) -> dict:
    """A valid POST of the page editor for ``campaign`` (its current values, no reward)."""
    data = {
        "title": campaign.title,
        "pitch": campaign.pitch,
        "description": campaign.description,
        "video_url": campaign.video_url,
        "goal": str(campaign.goal),
        "starts_at": local(campaign.starts_at) if campaign.starts_at else "",
        "ends_at": local(campaign.ends_at) if campaign.ends_at else "",
        "rewards-TOTAL_FORMS": "1",
        "rewards-INITIAL_FORMS": "0",
        "rewards-MIN_NUM_FORMS": "0",
        "rewards-MAX_NUM_FORMS": "30",
    }
    for image in campaign.images.all():
        data[f"image_{image.pk}_alt"] = image.alt_text
    data.update(overrides)
    return data


def with_rewards(data: dict, rewards: list[dict], initial: int = 0) -> dict:
    data = dict(data)
    data["rewards-TOTAL_FORMS"] = str(len(rewards))
    data["rewards-INITIAL_FORMS"] = str(initial)
    for index, reward in enumerate(rewards):
        for key, value in reward.items():
            data[f"rewards-{index}-{key}"] = value
    return data


@pytest.fixture
def draft(world):
    campaign = world.campaign
    now = timezone.now().replace(second=0, microsecond=0)
    Campaign.objects.filter(pk=campaign.pk).update(
        state=CampaignState.DRAFT,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=33),
        launched_at=None,
    )
    campaign.refresh_from_db()
    return campaign


# --- page editor ---------------------------------------------------------------------------


def test_maker_edits_the_page_with_images_and_rewards(world, draft):
    browser = english_client(world.maker)
    data = with_rewards(
        page_data(
            draft,
            pitch="Un nouvel élan",
            description="Premier paragraphe.\n\nSecond <strong>paragraphe</strong> <b>x</b>.",
            goal="6 500,50",
            new_image_1=jpeg_upload(),
            new_image_1_alt="L'atelier",
        ),
        [
            {
                "title": "Carte postale",
                "min_amount": "15",
                "stock": "50",
                "estimated_delivery": "2027-01-15",
            }
        ],
    )
    response = browser.post(edit_url(draft), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.pitch == "Un nouvel élan"
    assert draft.goal == Decimal("6500.50")
    assert draft.description == (
        "<p>Premier paragraphe.</p>\n\n<p>Second <strong>paragraphe</strong> x.</p>"
    )
    image = draft.images.get()
    assert image.alt_text == "L'atelier"
    assert image.image.name.startswith("public/campaigns/")
    reward = draft.rewards.get()
    assert (reward.title, reward.min_amount, reward.stock) == (
        "Carte postale",
        Decimal("15"),
        50,
    )


def test_an_html_description_is_sanitised(world, draft):
    data = page_data(
        draft,
        description=(
            '<p>Ok</p><script>alert(1)</script><a href="javascript:x">l</a><img src=x onerror=y>'
        ),
    )
    assert english_client(world.maker).post(edit_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.description == '<p>Ok</p><a rel="noopener nofollow">l</a>'


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required"),
        ("title", "x" * 121, "at most 120 characters"),
        ("pitch", "", "This field is required"),
        ("pitch", "x" * 301, "at most 300 characters"),
        ("description", "x" * 30001, "at most 30000 characters"),
        ("goal", "", "This field is required"),
        ("goal", "-10", "between"),
        ("goal", "0", "between"),
        ("goal", "1e9", "Enter a number"),
        ("goal", "NaN", "Enter a number"),
        ("goal", "99999999", "between"),
        ("goal", "beaucoup", "Enter a number"),
        ("video_url", "javascript:alert(1)", "https"),
        ("video_url", "https://evil.example.org/video", "YouTube"),
        ("starts_at", "pas une date", "Enter a valid date/time"),
    ],
)
def test_bad_page_input_is_refused(world, draft, field, value, message):
    before = (draft.title, draft.pitch, draft.goal, draft.description)
    response = english_client(world.maker).post(edit_url(draft), page_data(draft, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.pitch, draft.goal, draft.description) == before


def test_dates_out_of_order_are_refused(world, draft):
    data = page_data(draft, ends_at=local(draft.starts_at - timedelta(days=1)))
    response = english_client(world.maker).post(edit_url(draft), data)
    assert response.status_code == 400
    assert "end after it starts" in response.content.decode()


def test_html_typed_in_a_field_is_shown_escaped_in_the_form(world, draft):
    data = page_data(draft, title="<script>alert(1)</script>", goal="-5")
    html = english_client(world.maker).post(edit_url(draft), data).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("notes.pdf", pdf_bytes(), "application/pdf", "not one"),
        ("fake.jpg", b"not an image at all", "image/jpeg", "not one"),
        ("bomb.png", png_claiming_size(100_000, 100_000), "image/png", "too many pixels"),
        ("photo.gif", image_bytes("GIF"), "image/gif", "not one"),
    ],
)
def test_wrong_image_files_are_refused(world, draft, name, content, content_type, message):
    data = page_data(draft, new_image_1=upload(name, content, content_type))
    response = english_client(world.maker).post(edit_url(draft), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not draft.images.exists()


def test_oversized_image_is_refused(world, draft, settings):
    settings.TREMPLIN_MAX_IMAGE_BYTES = 1000
    data = page_data(draft, new_image_1=jpeg_upload(size=(400, 400)))
    response = english_client(world.maker).post(edit_url(draft), data)
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_remove_an_image_and_change_its_description(world, draft):
    browser = english_client(world.maker)
    browser.post(
        edit_url(draft), page_data(draft, new_image_1=jpeg_upload(), new_image_2=jpeg_upload())
    )
    first, second = list(draft.images.all())
    data = page_data(draft)
    data[f"image_{first.pk}_remove"] = "on"
    data[f"image_{second.pk}_alt"] = "Vue de face"
    assert browser.post(edit_url(draft), data).status_code == 302
    assert list(draft.images.values_list("alt_text", flat=True)) == ["Vue de face"]


def test_reward_bad_input(world, draft):
    browser = english_client(world.maker)
    cases = [
        ({"title": "", "min_amount": "10"}, "This field is required"),
        ({"title": "x" * 121, "min_amount": "10"}, "at most 120 characters"),
        ({"title": "Lot", "min_amount": "0,50"}, "between"),
        ({"title": "Lot", "min_amount": "10", "stock": "-1"}, "greater than or equal to 0"),
        ({"title": "Lot", "min_amount": "10", "stock": "beaucoup"}, "Enter a whole number"),
        ({"title": "Lot", "min_amount": "10", "estimated_delivery": "32/13/2027"}, "valid date"),
    ]
    for reward, message in cases:
        response = browser.post(edit_url(draft), with_rewards(page_data(draft), [reward]))
        assert response.status_code == 400, reward
        assert message in response.content.decode(), reward
    assert not draft.rewards.exists()


def test_reward_stock_below_claimed_is_refused(world):
    campaign = world.campaign  # live: rewards still editable
    reward = RewardFactory(campaign=campaign, title="Affiche", stock=10, claimed=6)
    fields = {
        "id": str(reward.pk),
        "title": "Affiche",
        "min_amount": "20",
        "stock": "5",
    }
    browser = english_client(world.maker)
    response = browser.post(edit_url(campaign), with_rewards(page_data(campaign), [fields], 1))
    assert response.status_code == 400
    assert "cannot go below the 6 already claimed" in response.content.decode()
    fields["delete"] = "on"
    fields["stock"] = "10"
    response = browser.post(edit_url(campaign), with_rewards(page_data(campaign), [fields], 1))
    assert response.status_code == 400
    assert "cannot be removed" in response.content.decode()
    reward.refresh_from_db()
    assert (reward.stock, reward.claimed) == (10, 6)


def test_a_reward_of_another_campaign_cannot_be_edited(world):
    foreign = RewardFactory(title="Pas à moi")
    fields = {"id": str(foreign.pk), "title": "Volée", "min_amount": "20"}
    response = english_client(world.maker).post(
        edit_url(world.campaign), with_rewards(page_data(world.campaign), [fields], 1)
    )
    assert response.status_code == 400
    foreign.refresh_from_db()
    assert foreign.title == "Pas à moi"


def test_goal_and_dates_are_locked_in_the_editor_once_live(world):
    campaign = world.campaign
    data = page_data(campaign, goal="9999", ends_at=local(campaign.ends_at + timedelta(days=9)))
    response = english_client(world.maker).post(edit_url(campaign), data)
    assert response.status_code == 302  # disabled fields ignore what is posted
    before_goal, before_end = campaign.goal, campaign.ends_at
    campaign.refresh_from_db()
    assert (campaign.goal, campaign.ends_at) == (before_goal, before_end)


def test_editor_is_read_only_under_review(world, draft):
    Campaign.objects.filter(pk=draft.pk).update(state=CampaignState.IN_REVIEW)
    browser = english_client(world.maker)
    assert "under review" in browser.get(edit_url(draft)).content.decode()
    response = browser.post(edit_url(draft), page_data(draft, pitch="Changé"))
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.pitch != "Changé"


# --- backstage ----------------------------------------------------------------------------


def test_backstage_shows_the_figures_and_checklist(world, draft):
    Campaign.objects.filter(pk=draft.pk).update(pitch="")
    html = english_client(world.maker).get(backstage_url(draft)).content.decode()
    assert "a pitch" in html and "at least one image" in html
    assert "Submit for review" in html


def test_submit_incomplete_then_complete(world, draft, django_capture_on_commit_callbacks):
    browser = english_client(world.maker)
    response = browser.post(backstage_url(draft), {"action": "submit"})
    assert response.status_code == 400
    assert "at least one image" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == CampaignState.DRAFT
    browser.post(edit_url(draft), page_data(draft, new_image_1=jpeg_upload(), new_image_1_alt="x"))
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(backstage_url(draft), {"action": "submit"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == CampaignState.IN_REVIEW
    assert [m.to for m in mail.outbox] == [[world.coach.email]]
    assert html_language(mail.outbox[0]) == "en"


def test_unknown_action_is_400(world):
    response = english_client(world.maker).post(backstage_url(world.campaign), {"action": "x"})
    assert response.status_code == 400


def test_post_news_emails_opted_in_contributors_once_in_their_language(
    world, django_capture_on_commit_callbacks
):
    campaign = world.campaign
    ContributionFactory(campaign=campaign, email="fr@example.org", news_consent=True)
    ContributionFactory(campaign=campaign, email="en@example.org", language="en", news_consent=True)
    ContributionFactory(  # the same person again: one e-mail, in their latest language
        campaign=campaign, email="EN@example.org", language="en", news_consent=True
    )
    ContributionFactory(campaign=campaign, email="no@example.org", news_consent=False)
    ContributionFactory(
        campaign=campaign, email="pending@example.org", news_consent=True, state="pending"
    )
    browser = english_client(world.maker)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            backstage_url(campaign),
            {"action": "update", "title": "Prototype prêt", "body": "Bonne nouvelle."},
        )
    assert response.status_code == 302
    update = CampaignUpdate.objects.get()
    assert update.emailed_at is not None
    recipients = sorted(m.to[0].lower() for m in mail.outbox)
    assert recipients == ["en@example.org", "fr@example.org"]
    languages = {m.to[0].lower(): html_language(m) for m in mail.outbox}
    assert languages == {"fr@example.org": "fr", "en@example.org": "en"}
    assert "Prototype prêt" in mail.outbox[0].subject
    # a second run of the task sends nothing
    assert community.email_update(update.pk) == 0


def test_bad_news_input(world):
    browser = english_client(world.maker)
    for data, message in [
        ({"title": "", "body": "x"}, "This field is required"),
        ({"title": "x", "body": ""}, "This field is required"),
        ({"title": "x" * 151, "body": "x"}, "at most 150 characters"),
        ({"title": "x", "body": "x" * 20001}, "at most 20000 characters"),
    ]:
        response = browser.post(backstage_url(world.campaign), {"action": "update", **data})
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not CampaignUpdate.objects.exists()


def test_news_is_shown_escaped(world):
    community.post_update(
        world.campaign, user=world.maker, title="<script>t</script>", body="<b>corps</b>"
    )
    html = (
        english_client()
        .get(reverse("campaigns:campaign", args=[world.campaign.slug]))
        .content.decode()
    )
    assert "&lt;script&gt;t&lt;/script&gt;" in html and "&lt;b&gt;corps&lt;/b&gt;" in html


def test_answer_hide_and_show_comments(world):
    campaign = world.campaign
    comment = CommentFactory(campaign=campaign, body="Une question ?")
    browser = english_client(world.maker)
    response = browser.post(
        backstage_url(campaign), {"action": "reply", "reply_to": comment.pk, "body": "Une réponse."}
    )
    assert response.status_code == 302
    reply = comment.replies.get()
    assert (reply.author, reply.body) == (world.maker, "Une réponse.")
    assert (
        browser.post(backstage_url(campaign), {"action": "hide", "comment": comment.pk}).status_code
        == 302
    )
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    browser.post(backstage_url(campaign), {"action": "show", "comment": comment.pk})
    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE


def test_bad_comment_actions(world):
    campaign = world.campaign
    foreign = CommentFactory()
    browser = english_client(world.maker)
    for data in (
        {"action": "reply", "reply_to": foreign.pk, "body": "x"},
        {"action": "reply", "reply_to": "abc", "body": "x"},
        {"action": "reply", "reply_to": foreign.pk, "body": ""},
        {"action": "hide", "comment": foreign.pk},
        {"action": "hide", "comment": "nope"},
    ):
        assert browser.post(backstage_url(campaign), data).status_code == 400, data
    foreign.refresh_from_db()
    assert foreign.state == CommentState.VISIBLE and not foreign.replies.exists()


def test_contributor_export_has_every_confirmed_contributor(world):
    campaign = world.campaign
    reward = RewardFactory(campaign=campaign, title="Affiche")
    ContributionFactory(
        campaign=campaign,
        name="Anne Anonyme",
        email="anne@example.org",
        amount=Decimal("12.50"),
        hide_name=True,
        hide_amount=True,
        reward=reward,
        message='=HYPERLINK("http://evil")',
    )
    ContributionFactory(campaign=campaign, name="Paul Pending", state="pending")
    response = english_client(world.maker).get(backstage_url(campaign) + "?export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["Name", "E-mail", "Amount (€)", "Reward", "Message", "Date"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {
        "Anne Anonyme",
        world.campaign.contributions.get(user=world.contributor).name,
    }
    anne = by_name["Anne Anonyme"]
    assert anne[1:4] == ["anne@example.org", "12,50", "Affiche"]
    assert anne[4].startswith("'=")  # no formula in a spreadsheet


def test_export_is_only_for_the_maker(world):
    url = backstage_url(world.campaign) + "?export=csv"
    for person in (world.manager, world.coach, world.contributor, world.other_maker):
        assert english_client(person).get(url).status_code == 404


def test_the_backstage_says_the_anonymity_choices_concern_the_public_page_only(world):
    html = english_client(world.maker).get(backstage_url(world.campaign)).content.decode()
    assert "concern the public page only" in html


def test_review_message_from_the_maker(world):
    browser = english_client(world.maker)
    response = browser.post(backstage_url(world.campaign), {"action": "note", "message": ""})
    assert response.status_code == 400
    response = browser.post(
        backstage_url(world.campaign), {"action": "note", "message": "x" * 5001}
    )
    assert response.status_code == 400
    response = browser.post(backstage_url(world.campaign), {"action": "note", "message": "Merci !"})
    assert response.status_code == 302
    assert world.campaign.review_notes.get().body == "Merci !"


# --- public comments and reports -------------------------------------------------------------


def test_post_a_comment_and_bad_comments(world):
    url = reverse("campaigns:comment", args=[world.campaign.slug])
    browser = english_client(world.contributor)
    for data, message in [
        ({"author_name": "Moi", "body": ""}, "This field is required"),
        ({"author_name": "", "body": "x"}, "This field is required"),
        ({"author_name": "Moi", "body": "x" * 2001}, "at most 2000 characters"),
        ({"author_name": "x" * 101, "body": "x"}, "at most 100 characters"),
    ]:
        response = browser.post(url, data)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not world.campaign.comments.exists()
    response = browser.post(url, {"author_name": "Olivia", "body": "<script>x</script>Bravo"})
    assert response.status_code == 302
    html = english_client().get(reverse("campaigns:campaign", args=[world.campaign.slug]))
    assert "&lt;script&gt;x&lt;/script&gt;Bravo" in html.content.decode()


def test_comment_on_a_draft_is_404(world, draft):
    response = english_client(world.contributor).post(
        reverse("campaigns:comment", args=[draft.slug]), {"author_name": "a", "body": "b"}
    )
    assert response.status_code == 404


def test_report_once_per_visitor_and_auto_hide_at_three_signed_in(world):
    """The reports page, one report per visitor; three distinct signed-in reporters hide
    the comment (anonymous reports: tests/campaigns/test_reports.py)."""
    comment = CommentFactory(campaign=world.campaign, body="Pub")
    url = reverse("campaigns:report_comment", args=[world.campaign.slug, comment.pk])
    same = english_client(world.contributor)
    assert "Report this comment" in same.get(url).content.decode()
    same.post(url)
    same.post(url)
    comment.refresh_from_db()
    assert comment.report_count == 1
    english_client(UserFactory()).post(url)
    comment.refresh_from_db()
    assert (comment.report_count, comment.state) == (2, CommentState.VISIBLE)
    english_client(UserFactory()).post(url)
    comment.refresh_from_db()
    assert (comment.report_count, comment.state) == (3, CommentState.HIDDEN)
    assert english_client().post(url).status_code == 404  # hidden: nothing to report


def test_mine_lists_only_my_campaigns(world):
    html = english_client(world.maker).get(reverse("campaigns:mine")).content.decode()
    assert "Atelier vélo" in html
    other = english_client(world.other_maker).get(reverse("campaigns:mine")).content.decode()
    assert "Atelier vélo" not in other


def test_dashboard_lists_my_campaigns_and_coached_ones(world):
    maker_page = english_client(world.maker).get(reverse("core:dashboard")).content.decode()
    assert reverse("campaigns:backstage", args=[world.campaign.slug]) in maker_page
    coach_page = english_client(world.coach).get(reverse("core:dashboard")).content.decode()
    assert reverse("campaigns:coach_review", args=[world.campaign.slug]) in coach_page


def test_backstage_figures_use_the_campaign_totals(world):
    Campaign.objects.filter(pk=world.campaign.pk).update(
        raised_amount=Decimal("2500"), contributor_count=40
    )
    html = english_client(world.maker).get(backstage_url(world.campaign)).content.decode()
    assert "€2,500" in html and "50 % of the goal" in html and "<strong>40</strong>" in html


def test_images_count_limit_in_the_editor(world, draft):
    for i in range(page.MAX_IMAGES):
        image = CampaignImage(campaign=draft, alt_text=str(i))
        image.image.save(f"{i}.jpg", jpeg_upload(), save=True)
    response = english_client(world.maker).post(
        edit_url(draft), page_data(draft, new_image_1=jpeg_upload())
    )
    assert response.status_code == 400
    assert "at most 8 images" in response.content.decode()
    assert RewardTier.objects.count() == 0
