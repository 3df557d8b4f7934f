"""The juror's space through the browser's eyes: my juries, the invitation link, the
ballot, each application with its vote form, recusal and submission. Permissions for every
view, bad input (status 400, nothing stored), secrecy and the query count."""

from __future__ import annotations

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.calls.helpers import image_bytes, pdf_bytes
from tests.jury.factories import CandidateFactory, CriterionFactory, JuryMemberFactory
from tests.jury.juror_world import build_world, english_client
from tremplin.calls.enums import ProgrammeState, QuestionKind
from tremplin.calls.models import ApplicationImage
from tremplin.core.models import AuditLog
from tremplin.jury import administration, voting
from tremplin.jury.enums import BallotScope, BallotState, JuryMethod
from tremplin.jury.models import Ballot, Grade, Jury, JuryMember, Pick, Recusal, Score
from tremplin.jury.tokens import make_invitation_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser, other_organiser):
    return build_world(organiser, other_organiser)


NOT_JURORS = ["manager", "viewer", "other_manager", "maker", "dave"]


def url(name: str, world, *args) -> str:
    return reverse(name, args=[world.programme.slug, *args])


def user_of(world, request, who: str):
    return getattr(world, who) if hasattr(world, who) else request.getfixturevalue(who)


def as_method(world, method, **options):
    Jury.objects.filter(pk=world.jury.pk).update(method=method, **options)
    world.jury.refresh_from_db()


def nothing_stored() -> bool:
    return not (
        Pick.objects.exists()
        or Grade.objects.exists()
        or Score.objects.exists()
        or Recusal.objects.exists()
    )


def close_window(world):
    Jury.objects.filter(pk=world.jury.pk).update(closes_at=timezone.now() - timedelta(minutes=1))


# --- my juries ----------------------------------------------------------------------------


def test_my_juries_lists_my_seats(world):
    html = english_client(world.alice).get(reverse("jury:home")).content.decode()
    assert "MEL Makers 2019" in html and "Lille Makers" in html
    assert url("jury:ballot", world) in html
    assert "Open until" in html and "Not started" in html
    assert world.other_programme.name not in html


def test_my_juries_shows_the_ballot_state(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    voting.set_pick(ballot, world.candidates[0], True, user=world.alice)
    voting.submit_ballot(ballot, user=world.alice)
    html = english_client(world.bob).get(reverse("jury:home")).content.decode()
    assert "badge-submitted" in html


def test_my_juries_empty(maker):
    html = english_client(maker).get(reverse("jury:home")).content.decode()
    assert "You do not sit on any jury" in html


def test_my_juries_needs_login(client):
    response = client.get(reverse("jury:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_dashboard_lists_my_juries(world, maker):
    html = english_client(world.alice).get(reverse("core:dashboard")).content.decode()
    assert 'id="juries-title"' in html and url("jury:ballot", world) in html
    assert "Voting open" in html
    html = english_client(maker).get(reverse("core:dashboard")).content.decode()
    assert 'id="juries-title"' not in html


def test_my_juries_has_no_n_plus_one(organiser, django_assert_max_num_queries):
    user = factories.UserFactory()
    client = english_client(user)

    def count_queries(seats: int) -> int:
        JuryMember.objects.filter(user=user).delete()
        for _ in range(seats):
            seat = JuryMemberFactory(user=user)
            voting.ballot_for(seat.jury, user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("jury:home")).status_code == 200
        return len(queries)

    two = count_queries(2)
    assert count_queries(20) == two
    with django_assert_max_num_queries(two):
        client.get(reverse("jury:home"))


# --- accepting an invitation ----------------------------------------------------------------


def test_accept_logged_out_asks_to_log_in_by_code_with_the_address(world, client):
    seat = JuryMember.objects.get(user=world.carol)
    Jury.objects.filter(pk=world.jury.pk)
    JuryMember.objects.filter(pk=seat.pk).update(accepted_at=None)
    accept = reverse("jury:accept", args=[make_invitation_token(seat)])
    response = client.get(accept)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(reverse("account_request_login_code"))
    assert "next=" in location and "email=" in location
    login_page = english_client().get(location)
    assert login_page.status_code == 200
    assert f'value="{world.carol.email}"' in login_page.content.decode()
    seat.refresh_from_db()
    assert seat.accepted_at is None


def test_accept_by_the_invited_person(world):
    seat = JuryMember.objects.get(user=world.carol)
    JuryMember.objects.filter(pk=seat.pk).update(accepted_at=None)
    client = english_client(world.carol)
    response = client.get(reverse("jury:accept", args=[make_invitation_token(seat)]))
    assert response.status_code == 302
    assert response["Location"] == url("jury:ballot", world)
    seat.refresh_from_db()
    assert seat.accepted_at is not None
    entry = AuditLog.objects.get(action="tremplin.jury.invitation_accepted")
    assert entry.organiser_id == world.programme.organiser_id and entry.user == world.carol
    # the link again: still fine, logged once
    assert client.get(reverse("jury:accept", args=[make_invitation_token(seat)])).status_code == 302
    assert AuditLog.objects.filter(action="tremplin.jury.invitation_accepted").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Welcome to the jury of MEL Makers 2019" in page


def test_accept_with_another_account_is_forbidden(world):
    seat = JuryMember.objects.get(user=world.carol)
    JuryMember.objects.filter(pk=seat.pk).update(accepted_at=None)
    response = english_client(world.alice).get(
        reverse("jury:accept", args=[make_invitation_token(seat)])
    )
    assert response.status_code == 403
    assert "This invitation is for another account" in response.content.decode()
    seat.refresh_from_db()
    assert seat.accepted_at is None


@pytest.mark.parametrize("kind", ["forged", "altered", "expired", "removed", "not-a-number"])
def test_accept_with_a_bad_token(world, kind):
    seat = JuryMember.objects.get(user=world.carol)
    token = make_invitation_token(seat)
    if kind == "forged":
        token = "abc:def:ghi"
    elif kind == "altered":
        token = make_invitation_token(world.alice_seat)[:-2] + token[-2:]
    elif kind == "expired":
        with mock.patch("django.core.signing.time.time", return_value=time.time() - 31 * 86400):
            token = make_invitation_token(seat)
    elif kind == "removed":
        seat.delete()
    else:
        from django.core import signing

        token = signing.dumps("x", salt="tremplin.jury.invitation")
    for client in (english_client(world.carol), english_client()):
        response = client.get(reverse("jury:accept", args=[token]))
        assert response.status_code == 400
        assert "This invitation link is not valid" in response.content.decode()


# --- the ballot page ------------------------------------------------------------------------


def test_ballot_page_lists_the_candidates_and_the_counter(world):
    response = english_client(world.alice).get(url("jury:ballot", world))
    html = response.content.decode()
    assert response.status_code == 200
    for application in world.candidates:
        assert url("jury:application", world, application.pk) in html
        assert application.reference in html
    for other in (world.ineligible, world.withdrawn, world.draft, world.other_candidate):
        assert other.title not in html
    assert "0 / 3 favourites" in html
    assert "Voting is open from" in html and "(Paris time)" in html
    # the shared ballot of the partner, with the colleague named
    assert "The ballot of Lille Makers" in html and str(world.bob) in html
    assert "any one of you can submit it" in html
    assert reverse("jury:submit", args=[world.programme.slug]) in html
    # candidates in reference order
    positions = [html.index(a.reference) for a in world.candidates]
    assert positions == sorted(positions)


def test_ballot_counter_and_window_in_french(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    voting.set_pick(ballot, world.candidates[0], True, user=world.alice)
    Jury.objects.filter(pk=world.jury.pk).update(
        closes_at=timezone.make_aware(timezone.datetime(2030, 10, 18, 18, 0))
    )
    client = english_client(world.alice)
    client.cookies["django_language"] = "fr"
    html = client.get(url("jury:ballot", world), headers={"accept-language": "fr"}).content
    html = html.decode()
    assert "18 octobre 2030" in html and "18:00" in html
    assert "1 / 3" in html


def test_the_partner_members_share_the_ballot(world):
    ballot = voting.ballot_for(world.jury, world.bob)
    voting.set_pick(ballot, world.candidates[1], True, user=world.bob)
    html = english_client(world.alice).get(url("jury:ballot", world)).content.decode()
    assert "1 / 3 favourites" in html


def test_another_partner_never_sees_the_ballot(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    voting.set_pick(ballot, world.candidates[1], True, user=world.alice)
    response = english_client(world.carol).get(url("jury:ballot", world))
    html = response.content.decode()
    assert response.status_code == 200
    assert "0 / 3 favourites" in html
    assert "badge-success" not in html  # no "Favourite" badge on any row
    assert str(world.alice) not in html and str(world.bob) not in html


def test_member_scope_has_no_shared_note(world):
    Jury.objects.filter(pk=world.jury.pk).update(ballot_scope=BallotScope.MEMBER)
    ballot = voting.ballot_for(Jury.objects.get(pk=world.jury.pk), world.bob)
    voting.set_pick(ballot, world.candidates[1], True, user=world.bob)
    html = english_client(world.alice).get(url("jury:ballot", world)).content.decode()
    assert "My ballot" in html and "0 / 3 favourites" in html
    assert "any one of you can submit it" not in html


@pytest.mark.parametrize("who", NOT_JURORS)
def test_juror_pages_are_not_found_for_anyone_else(world, who, request, viewer, other_manager):
    user = user_of(world, request, who)
    client = english_client(user)
    app = world.candidates[0]
    assert client.get(url("jury:ballot", world)).status_code == 404
    assert client.get(url("jury:application", world, app.pk)).status_code == 404
    assert client.post(url("jury:vote", world, app.pk), {"picked": "1"}).status_code == 404
    response = client.post(url("jury:recuse", world, app.pk), {"confirm": "on"})
    assert response.status_code == 404
    assert client.post(url("jury:submit", world), {"confirm": "on"}).status_code == 404
    assert nothing_stored() and not Ballot.objects.filter(jury=world.jury).exists()


def test_anonymous_is_sent_to_log_in(world, client):
    app = world.candidates[0]
    for target in (url("jury:ballot", world), url("jury:application", world, app.pk)):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    for target in (url("jury:vote", world, app.pk), url("jury:submit", world)):
        response = client.post(target, {"picked": "1", "confirm": "on"})
        assert response.status_code == 302
    assert nothing_stored()


def test_before_the_jury_opens_the_page_says_so(world):
    world.programme.state = ProgrammeState.SCREENING
    world.programme.save()
    client = english_client(world.alice)
    response = client.get(url("jury:ballot", world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "is still preparing the jury" in html
    assert world.candidates[0].title not in html
    assert client.get(url("jury:application", world, world.candidates[0].pk)).status_code == 404
    response = client.post(url("jury:vote", world, world.candidates[0].pk), {"picked": "1"})
    assert response.status_code == 404
    assert nothing_stored()


def test_ballot_page_has_no_n_plus_one(organiser, other_organiser, django_assert_max_num_queries):
    world = build_world(organiser, other_organiser)
    client = english_client(world.alice)
    ballot = voting.ballot_for(world.jury, world.alice)

    def count_queries(rows: int) -> int:
        world.jury.candidates().delete()
        for i in range(rows):
            app = CandidateFactory(programme=world.programme)
            if i < 2:
                voting.set_pick(ballot, app, True, user=world.alice)
            if i == 2:
                voting.recuse(ballot, app, user=world.alice)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("jury:ballot", world)).status_code == 200
        return len(queries)

    two = count_queries(2)
    twenty = count_queries(20)
    assert twenty == two
    with django_assert_max_num_queries(two):
        client.get(url("jury:ballot", world))


@pytest.mark.parametrize("method", [JuryMethod.MAJORITY_JUDGMENT, JuryMethod.GRID])
def test_ballot_page_has_no_n_plus_one_for_other_methods(
    organiser, other_organiser, method, django_assert_max_num_queries
):
    world = build_world(organiser, other_organiser)
    as_method(world, method)
    criteria = [CriterionFactory(jury=world.jury) for _ in range(3)]
    client = english_client(world.alice)
    ballot = voting.ballot_for(world.jury, world.alice)

    def count_queries(rows: int) -> int:
        world.jury.candidates().delete()
        for _ in range(rows):
            app = CandidateFactory(programme=world.programme)
            if method == JuryMethod.GRID:
                voting.set_scores(ballot, app, {criteria[0].pk: 4}, user=world.alice)
            else:
                voting.set_grade(ballot, app, 2, user=world.alice)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("jury:ballot", world)).status_code == 200
        return len(queries)

    assert count_queries(20) == count_queries(2)


# --- the application page -------------------------------------------------------------------


@pytest.fixture
def full_application(world):
    app = world.candidates[0]
    app.video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    app.description = "Un <script>alert(1)</script> atelier."
    app.save()
    question = factories.QuestionFactory(
        programme=world.programme, kind=QuestionKind.FILE, label_en="Your business plan"
    )
    answer = factories.AnswerFactory(application=app, question=question, value=None)
    answer.file.save("plan.pdf", ContentFile(pdf_bytes()), save=True)
    text_question = factories.QuestionFactory(
        programme=world.programme, label_en="Why this project?"
    )
    factories.AnswerFactory(application=app, question=text_question, value="Parce que.")
    image = ApplicationImage(application=app, alt_text="Un vélo cargo")
    image.image.save("photo.jpg", ContentFile(image_bytes()), save=True)
    return app, answer, image


def test_application_page_shows_it_in_full(world, full_application):
    app, answer, image = full_application
    response = english_client(world.alice).get(url("jury:application", world, app.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{app.title}</h1>" in html
    assert app.summary in html and "&lt;script&gt;" in html and "<script>alert" not in html
    assert "Why this project?" in html and "Parce que." in html
    assert reverse("calls:application_file", args=[app.pk, answer.pk]) in html
    assert reverse("calls:application_image", args=[app.pk, image.pk]) in html
    assert 'alt="Un vélo cargo"' in html
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in html
    assert "€5,000" in html  # funding goal
    assert app.maker.email not in html and "phone" not in html.lower()
    assert "Add to my favourites" in html and "0 / 3 favourites" in html
    assert "Declare a conflict of interest" in html
    assert url("jury:application", world, world.candidates[1].pk) in html  # next


def test_jurors_may_open_the_files_and_images_of_a_candidate(world, full_application):
    app, answer, image = full_application
    file_url = reverse("calls:application_file", args=[app.pk, answer.pk])
    image_url = reverse("calls:application_image", args=[app.pk, image.pk])
    for user in (world.alice, world.carol):
        client = english_client(user)
        assert client.get(file_url).status_code == 200
        assert client.get(image_url).status_code == 200
    assert english_client(world.dave).get(file_url).status_code == 404
    assert english_client(world.dave).get(image_url).status_code == 404
    # not once the application is no longer a candidate, nor before the jury opens
    app.eligibility = "ineligible"
    app.save()
    assert english_client(world.alice).get(file_url).status_code == 404
    app.eligibility = "eligible"
    app.save()
    world.programme.state = ProgrammeState.SCREENING
    world.programme.save()
    assert english_client(world.alice).get(image_url).status_code == 404


@pytest.mark.parametrize("which", ["ineligible", "withdrawn", "draft", "other_candidate"])
def test_application_the_jury_does_not_judge_is_not_found(world, which):
    app = getattr(world, which)
    client = english_client(world.alice)
    assert client.get(url("jury:application", world, app.pk)).status_code == 404
    assert client.post(url("jury:vote", world, app.pk), {"picked": "1"}).status_code == 404
    response = client.post(url("jury:recuse", world, app.pk), {"confirm": "on"})
    assert response.status_code == 404
    assert nothing_stored()


def test_a_juror_of_another_programme_cannot_reach_ours_through_theirs(world):
    client = english_client(world.dave)
    other = reverse("jury:application", args=[world.other_programme.slug, world.candidates[0].pk])
    assert client.get(other).status_code == 404
    vote = reverse("jury:vote", args=[world.other_programme.slug, world.candidates[0].pk])
    assert client.post(vote, {"picked": "1"}).status_code == 404
    assert nothing_stored()


# --- voting: favourites ---------------------------------------------------------------------


def test_pick_without_javascript(world):
    client = english_client(world.alice)
    app = world.candidates[0]
    response = client.post(url("jury:vote", world, app.pk), {"picked": "1"})
    assert response.status_code == 302
    assert response["Location"] == url("jury:application", world, app.pk)
    assert Pick.objects.filter(application=app, ballot__partner=world.partner_a).exists()
    html = client.get(response["Location"]).content.decode()
    assert "is in your favourites (1 / 3)" in html
    assert "Remove from my favourites" in html
    response = client.post(url("jury:vote", world, app.pk), {"picked": "0", "from": "ballot"})
    assert response.status_code == 302
    assert response["Location"] == url("jury:ballot", world) + f"#row-{app.pk}"
    assert not Pick.objects.exists()


def test_pick_with_htmx_answers_the_fragment(world):
    client = english_client(world.alice)
    app = world.candidates[0]
    response = client.post(
        url("jury:vote", world, app.pk), {"picked": "1"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="section panel" id="vote-panel"')
    assert "1 / 3 favourites" in html and "<html" not in html
    response = client.post(
        url("jury:vote", world, world.candidates[1].pk),
        {"picked": "1", "from": "ballot"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.startswith(f'<tr id="row-{world.candidates[1].pk}"')
    assert 'hx-swap-oob="innerHTML"' in html and "2 / 3 favourites" in html


def test_more_than_k_picks_is_refused(world):
    client = english_client(world.alice)
    for app in world.candidates[:3]:
        assert client.post(url("jury:vote", world, app.pk), {"picked": "1"}).status_code == 302
    last = world.candidates[3]
    response = client.post(url("jury:vote", world, last.pk), {"picked": "1"})
    assert response.status_code == 400
    assert "You have already picked 3 favourites" in response.content.decode()
    response = client.post(url("jury:vote", world, last.pk), {"picked": "1", "from": "ballot"})
    assert response.status_code == 400
    assert "You have already picked 3 favourites" in response.content.decode()
    response = client.post(
        url("jury:vote", world, last.pk),
        {"picked": "1", "from": "ballot"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "You have already picked 3 favourites" in response.content.decode()
    assert Pick.objects.count() == 3 and not Pick.objects.filter(application=last).exists()


@pytest.mark.parametrize("data", [{}, {"picked": "2"}, {"picked": "<script>"}, {"picked": ""}])
def test_a_bad_favourite_field_is_refused(world, data):
    response = english_client(world.alice).post(
        url("jury:vote", world, world.candidates[0].pk), data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say whether to add or remove this favourite." in html
    assert '<script>"' not in html and "<script></" not in html
    assert nothing_stored()


def test_a_forged_ballot_field_is_ignored(world):
    carol_ballot = voting.ballot_for(world.jury, world.carol)
    other_ballot = voting.ballot_for(world.other_jury, world.dave)
    client = english_client(world.alice)
    app = world.candidates[0]
    response = client.post(
        url("jury:vote", world, app.pk),
        {
            "picked": "1",
            "ballot": carol_ballot.pk,
            "ballot_id": other_ballot.pk,
            "application": world.other_candidate.pk,
            "partner": world.partner_b.pk,
        },
    )
    assert response.status_code == 302
    pick = Pick.objects.get()
    assert pick.ballot.partner == world.partner_a and pick.application == app
    assert not Pick.objects.filter(ballot__in=[carol_ballot, other_ballot]).exists()


def test_a_vote_after_the_close_is_refused(world):
    close_window(world)
    client = english_client(world.alice)
    app = world.candidates[0]
    response = client.post(url("jury:vote", world, app.pk), {"picked": "1"})
    assert response.status_code == 400
    assert "Voting is closed" in response.content.decode()
    assert client.post(url("jury:recuse", world, app.pk), {"confirm": "on"}).status_code == 400
    assert client.post(url("jury:submit", world), {"confirm": "on"}).status_code == 400
    assert nothing_stored() and not Ballot.objects.exists()


def test_a_vote_before_the_open_is_refused(world):
    Jury.objects.filter(pk=world.jury.pk).update(opens_at=timezone.now() + timedelta(days=1))
    client = english_client(world.alice)
    html = client.get(url("jury:ballot", world)).content.decode()
    assert "Voting has not opened yet" in html
    assert "Add to my favourites" not in html
    response = client.post(url("jury:vote", world, world.candidates[0].pk), {"picked": "1"})
    assert response.status_code == 400
    assert "Voting has not opened yet" in response.content.decode()
    assert nothing_stored()


def test_after_the_close_everything_is_read_only(world):
    ballot = voting.ballot_for(world.jury, world.alice)
    voting.set_pick(ballot, world.candidates[0], True, user=world.alice)
    voting.submit_ballot(ballot, user=world.alice)
    Jury.objects.filter(pk=world.jury.pk).update(closed_at=timezone.now())
    world.programme.state = ProgrammeState.DELIBERATION
    world.programme.save()
    client = english_client(world.alice)
    html = client.get(url("jury:ballot", world)).content.decode()
    assert "Voting is closed" in html and "1 / 3 favourites" in html
    assert "<form" not in html.split('id="content"')[1].split("</main>")[0]
    page = client.get(url("jury:application", world, world.candidates[0].pk)).content.decode()
    assert "This application is one of your favourites." in page
    assert reverse("jury:vote", args=[world.programme.slug, world.candidates[0].pk]) not in page
    assert reverse("jury:recuse", args=[world.programme.slug, world.candidates[0].pk]) not in page


def test_vote_endpoints_need_post(world):
    client = english_client(world.alice)
    app = world.candidates[0]
    assert client.get(url("jury:vote", world, app.pk)).status_code == 405
    assert client.get(url("jury:recuse", world, app.pk)).status_code == 405
    assert client.get(url("jury:submit", world)).status_code == 405


# --- voting: majority judgment and grid -----------------------------------------------------


def test_grade_form(world):
    as_method(world, JuryMethod.MAJORITY_JUDGMENT)
    client = english_client(world.alice)
    app = world.candidates[0]
    html = client.get(url("jury:application", world, app.pk)).content.decode()
    for label in ("Excellent", "Very good", "To reject"):
        assert label in html
    assert 'type="radio"' in html
    response = client.post(url("jury:vote", world, app.pk), {"grade": "1", "action": "save"})
    assert response.status_code == 302
    assert Grade.objects.get().value == 1
    html = client.get(url("jury:ballot", world)).content.decode()
    assert "Very good" in html and "1 of 4 applications graded" in html
    response = client.post(url("jury:vote", world, app.pk), {"action": "clear"})
    assert response.status_code == 302 and not Grade.objects.exists()


@pytest.mark.parametrize("value", ["-1", "7", "abc", "", "1.5", "<b>1</b>"])
def test_a_grade_outside_the_scale_is_refused(world, value):
    as_method(world, JuryMethod.MAJORITY_JUDGMENT)
    response = english_client(world.alice).post(
        url("jury:vote", world, world.candidates[0].pk), {"grade": value, "action": "save"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Choose a grade of the scale." in html
    assert 'class="field field-radio field-invalid"' in html or "field-invalid" in html
    assert "<b>1</b>" not in html
    assert nothing_stored()


def test_secrecy_a_juror_never_sees_another_ballots_grades(world):
    as_method(world, JuryMethod.MAJORITY_JUDGMENT)
    carol = voting.ballot_for(world.jury, world.carol)
    app = world.candidates[0]
    voting.set_grade(carol, app, 0, user=world.carol)
    client = english_client(world.alice)
    page = client.get(url("jury:application", world, app.pk)).content.decode()
    assert "checked" not in page
    listing = client.get(url("jury:ballot", world)).content.decode()
    assert "0 of 4 applications graded" in listing and "badge-info" not in listing


@pytest.fixture
def grid(world):
    as_method(world, JuryMethod.GRID, grid_max_score=10)
    return [
        CriterionFactory(jury=world.jury, label_en="Innovation"),
        CriterionFactory(jury=world.jury, label_en="Impact"),
    ]


def test_scores_form(world, grid):
    innovation, impact = grid
    client = english_client(world.alice)
    app = world.candidates[0]
    html = client.get(url("jury:application", world, app.pk)).content.decode()
    assert "Innovation" in html and 'type="number"' in html and 'max="10"' in html
    response = client.post(
        url("jury:vote", world, app.pk),
        {f"score_{innovation.pk}": "7", f"score_{impact.pk}": "10"},
    )
    assert response.status_code == 302
    assert dict(Score.objects.values_list("criterion_id", "value")) == {
        innovation.pk: 7,
        impact.pk: 10,
    }
    html = client.get(url("jury:ballot", world)).content.decode()
    assert "2 of 2 criteria scored" in html


@pytest.mark.parametrize("value", ["11", "-1", "abc", "2.5", "99999999999999999999"])
def test_a_score_out_of_range_is_refused(world, grid, value):
    innovation, impact = grid
    response = english_client(world.alice).post(
        url("jury:vote", world, world.candidates[0].pk),
        {f"score_{innovation.pk}": "5", f"score_{impact.pk}": value},
    )
    assert response.status_code == 400
    assert "Enter a whole number from 0 to 10." in response.content.decode()
    assert nothing_stored()


def test_a_forged_criterion_field_is_ignored(world, grid):
    innovation, impact = grid
    foreign = CriterionFactory(jury=world.other_jury)
    response = english_client(world.alice).post(
        url("jury:vote", world, world.candidates[0].pk),
        {f"score_{innovation.pk}": "5", f"score_{impact.pk}": "6", f"score_{foreign.pk}": "5"},
    )
    assert response.status_code == 302
    assert set(Score.objects.values_list("criterion_id", flat=True)) == {innovation.pk, impact.pk}


def test_every_criterion_must_be_scored_in_the_form(world, grid):
    innovation, _impact = grid
    response = english_client(world.alice).post(
        url("jury:vote", world, world.candidates[0].pk), {f"score_{innovation.pk}": "5"}
    )
    assert response.status_code == 400
    assert "Enter a whole number from 0 to 10." in response.content.decode()
    assert nothing_stored()


# --- recusal --------------------------------------------------------------------------------


def test_recusal(world):
    client = english_client(world.alice)
    app = world.candidates[0]
    client.post(url("jury:vote", world, app.pk), {"picked": "1"})
    response = client.post(
        url("jury:recuse", world, app.pk),
        {"confirm": "on", "reason": "<script>x</script> mon cousin"},
    )
    assert response.status_code == 302
    assert not Pick.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "Your conflict of interest is declared" in html
    assert "A conflict of interest was declared on this application by" in html
    assert "&lt;script&gt;x&lt;/script&gt; mon cousin" in html
    assert "Add to my favourites" not in html
    assert reverse("jury:recuse", args=[world.programme.slug, app.pk]) not in html
    response = client.post(url("jury:vote", world, app.pk), {"picked": "1"})
    assert response.status_code == 400
    assert not Pick.objects.exists()
    listing = english_client(world.bob).get(url("jury:ballot", world)).content.decode()
    assert "Conflict of interest" in listing


@pytest.mark.parametrize(
    "data", [{}, {"reason": "Mon cousin"}, {"confirm": "on", "reason": "x" * 501}]
)
def test_a_bad_recusal_is_refused(world, data):
    response = english_client(world.alice).post(
        url("jury:recuse", world, world.candidates[0].pk), data
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tick the box to declare the conflict of interest." in html or "501" in html
    assert nothing_stored()


# --- submission -----------------------------------------------------------------------------


def test_submit(world):
    client = english_client(world.bob)
    response = client.post(url("jury:submit", world), {"confirm": "on"})
    assert response.status_code == 400
    assert "Pick at least one favourite" in response.content.decode()
    client.post(url("jury:vote", world, world.candidates[0].pk), {"picked": "1"})
    response = client.post(url("jury:submit", world), {})
    assert response.status_code == 400
    assert "Tick the box to confirm the submission." in response.content.decode()
    assert Ballot.objects.get().state == BallotState.DRAFT
    response = client.post(url("jury:submit", world), {"confirm": "on"})
    assert response.status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.state == BallotState.SUBMITTED and ballot.submitted_by == world.bob
    html = english_client(world.alice).get(url("jury:ballot", world)).content.decode()
    assert "Submitted on" in html and str(world.bob) in html
    assert "it stays submitted" in html
    # still changeable, and stays submitted
    response = english_client(world.alice).post(
        url("jury:vote", world, world.candidates[1].pk), {"picked": "1"}
    )
    assert response.status_code == 302
    assert Ballot.objects.get().state == BallotState.SUBMITTED


def test_submit_incomplete_majority_judgment(world):
    as_method(world, JuryMethod.MAJORITY_JUDGMENT)
    client = english_client(world.alice)
    client.post(url("jury:vote", world, world.candidates[0].pk), {"grade": "2"})
    response = client.post(url("jury:submit", world), {"confirm": "on"})
    assert response.status_code == 400
    assert "3 applications have no grade yet" in response.content.decode()
    assert Ballot.objects.get().state == BallotState.DRAFT


# --- the invitation e-mail (sent by the organiser side, written here) -----------------------


def test_invitation_email_renders_in_both_languages(world):
    from django.core import mail

    from tremplin.core.mail import deliver

    context = {
        "member_name": "Nadia Benali",
        "partner": "Université de Lille",
        "programme": "MEL Makers 2019",
        "accept_path": "/jury/invitation/abc/",
        "closes_at": "2030-10-18T16:00:00+00:00",
    }
    deliver("jury/email/invitation", "nadia@example.org", "en", context)
    deliver("jury/email/invitation", "nadia@example.org", "fr", context)
    english, french = mail.outbox
    assert english.subject == "Invitation to the jury of MEL Makers 2019"
    assert "on behalf of Université de Lille" in english.body
    assert "18 October 2030 at 18:00 (Paris time)" in english.body
    assert "http://127.0.0.1:8000/jury/invitation/abc/" in english.body
    assert 'href="http://127.0.0.1:8000/jury/invitation/abc/"' in english.alternatives[0][0]
    assert "18 octobre 2030" in french.body
    deliver("jury/email/invitation", "x@example.org", "en", {**context, "closes_at": ""})
    assert "Voting closes" not in mail.outbox[-1].body


def test_invited_by_the_organiser_then_accepts_and_votes(
    world, manager, django_capture_on_commit_callbacks
):
    """The whole path: the organiser invites (jury.administration.invite_member), the e-mail's
    link logs the person in by code and seats them; they vote."""
    import re

    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        member = administration.invite_member(
            world.jury,
            world.partner_b,
            "nadia@univ-lille.example",
            user=manager,
            full_name="Nadia Benali",
            language="en",
        )
    message = mail.outbox[-1]
    assert message.to == ["nadia@univ-lille.example"]
    path = re.search(r"http://127\.0\.0\.1:8000(/jury/invitation/[^\s]+/)", message.body)[1]
    assert path == reverse("jury:accept", args=[make_invitation_token(member)])
    anonymous = english_client()
    response = anonymous.get(path)
    assert response.status_code == 302
    assert "nadia%40univ-lille.example" in response["Location"]
    client = english_client(member.user)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == url("jury:ballot", world)
    member.refresh_from_db()
    assert member.accepted_at is not None
    response = client.post(url("jury:vote", world, world.candidates[0].pk), {"picked": "1"})
    assert response.status_code == 302
    assert Pick.objects.get().ballot.partner == world.partner_b
