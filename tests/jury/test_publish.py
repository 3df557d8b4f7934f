"""Publication: every applicant who submitted is told in their language with the right
outcome and the feedback; the public laureates page (404 before), with the laureates'
images made public and the waiting list kept private; ``laureates(programme)``; the
close freezes the ballots (the voting functions refuse)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.calls.helpers import image_bytes
from tests.jury.factories import BallotFactory, PickFactory
from tests.jury.manage_world import client, close_jury, make_world, open_jury
from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import ApplicationImage
from tremplin.core.models import AuditLog
from tremplin.jury import errors, publication, voting
from tremplin.jury.enums import Outcome
from tremplin.jury.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser, other_organiser, manager, viewer, maker):
    return make_world(organiser, other_organiser, manager, viewer, maker)


def vote_and_close(w) -> None:
    open_jury(w)
    first = BallotFactory(jury=w.jury, partner=w.partners[0])
    second = BallotFactory(jury=w.jury, partner=w.partners[1])
    PickFactory(ballot=first, application=w.candidates[0])
    PickFactory(ballot=first, application=w.candidates[1])
    PickFactory(ballot=second, application=w.candidates[0])
    close_jury(w)


def decide(w) -> None:
    """Candidates 0 and 1 laureates (the tally's top 2), candidate 2 on the waiting list."""
    c0, c1, c2 = w.candidates
    publication.save_decisions(
        w.jury,
        [
            publication.DecisionData(c0.pk, Outcome.LAUREATE, feedback="Bravo pour le prototype."),
            publication.DecisionData(c1.pk, Outcome.LAUREATE),
            publication.DecisionData(
                c2.pk, Outcome.WAITING_LIST, waiting_rank=1, feedback="Presque !"
            ),
        ],
        user=w.manager,
    )


def publish_url(w) -> str:
    return reverse("jury_manage:publish", args=["mel", w.programme.slug])


def laureates_url(w) -> str:
    return reverse("jury_public:laureates", args=[w.programme.slug])


def test_publication_tells_every_applicant_in_their_language(
    world, django_capture_on_commit_callbacks
):
    vote_and_close(world)
    decide(world)
    c0, c1, c2 = world.candidates
    c1.maker.language = "en"
    c1.maker.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client(world.manager).post(publish_url(world), {"confirm": "on"})
    assert response.status_code == 302
    world.programme.refresh_from_db()
    world.jury.refresh_from_db()
    assert world.programme.state == ProgrammeState.RESULTS
    assert world.jury.published_at is not None

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 4  # three candidates and the ineligible applicant
    assert set(by_recipient) == {a.maker.email for a in [*world.candidates, world.ineligible]}

    def language(message) -> str:
        return message.alternatives[0][0].split('<html lang="', 1)[1].split('"', 1)[0]

    # Each in the maker's language (French by default, English for the second one), the
    # outcomes told apart by their text.
    laureate = by_recipient[c0.maker.email]
    assert language(laureate) == "fr"
    assert "est lauréat" in laureate.subject
    assert "Bravo pour le prototype." in laureate.body
    assert laureates_url(world) in laureate.body

    english = by_recipient[c1.maker.email]
    assert language(english) == "en"
    assert "is a laureate" in english.subject
    assert "Congratulations" in english.body
    assert "A word from the jury" not in english.body  # no feedback given

    waiting = by_recipient[c2.maker.email]
    assert language(waiting) == "fr"
    assert "liste d’attente" in waiting.subject
    assert "Presque !" in waiting.body
    assert "au rang 1" in waiting.body

    ineligible = by_recipient[world.ineligible.maker.email]
    assert language(ineligible) == "fr"
    assert "n’était pas éligible" in ineligible.body
    assert "Hors du territoire." in ineligible.body

    published = AuditLog.objects.get(action="tremplin.jury.published")
    assert published.data["laureates"] == 2
    assert published.data["waiting_list"] == 1
    assert published.data["ineligible"] == 1
    assert published.data["emails"] == 4


def test_withdrawn_and_draft_applications_get_nothing(world, django_capture_on_commit_callbacks):
    factories.ApplicationFactory(programme=world.programme)  # a draft
    factories.SubmittedApplicationFactory(programme=world.programme, state="withdrawn")
    vote_and_close(world)
    decide(world)
    with django_capture_on_commit_callbacks(execute=True):
        publication.publish_results(world.jury, user=world.manager)
    assert len(mail.outbox) == 4


def test_publication_needs_confirmation_and_every_decision(
    world, django_capture_on_commit_callbacks
):
    vote_and_close(world)
    c = client(world.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(publish_url(world), {"confirm": "on"})
    assert response.status_code == 400
    assert "no decision yet" in response.content.decode()
    decide(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(publish_url(world), {})
    assert response.status_code == 400
    assert "confirm" in response.context["publish_form"].errors
    world.programme.refresh_from_db()
    assert world.programme.state == ProgrammeState.DELIBERATION
    assert mail.outbox == []


def test_publication_needs_a_laureate(world):
    vote_and_close(world)
    publication.save_decisions(
        world.jury,
        [
            publication.DecisionData(a.pk, Outcome.NOT_SELECTED, override_reason="Aucun")
            for a in world.candidates
        ],
        user=world.manager,
    )
    with pytest.raises(errors.JuryError, match="at least one laureate"):
        publication.publish_results(world.jury, user=world.manager)


def test_publication_happens_once(world, django_capture_on_commit_callbacks):
    vote_and_close(world)
    decide(world)
    with django_capture_on_commit_callbacks(execute=True):
        publication.publish_results(world.jury, user=world.manager)
        with pytest.raises(errors.JuryError):
            publication.publish_results(world.jury, user=world.manager)
    assert len(mail.outbox) == 4
    with pytest.raises(errors.JuryError):
        decide(world)
    response = client(world.manager).get(
        reverse("jury_manage:deliberation", args=["mel", world.programme.slug])
    )
    assert response.status_code == 200
    assert response.context["read_only"]


# --- the public laureates page ----------------------------------------------------------------


def add_image(application, alt: str) -> ApplicationImage:
    image = ApplicationImage(application=application, alt_text=alt, position=1)
    image.image.save("photo.png", SimpleUploadedFile("photo.png", image_bytes("PNG")), save=False)
    image.save()
    return image


def test_the_laureates_page_is_404_until_published(world, django_capture_on_commit_callbacks):
    assert client().get(laureates_url(world)).status_code == 404
    vote_and_close(world)
    decide(world)
    assert client().get(laureates_url(world)).status_code == 404
    assert client(world.manager).get(laureates_url(world)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        publication.publish_results(world.jury, user=world.manager)
    assert client().get(laureates_url(world)).status_code == 200
    assert client().get(reverse("jury_public:laureates", args=["nope"])).status_code == 404


def test_the_laureates_page_shows_the_laureates_only(world, django_capture_on_commit_callbacks):
    vote_and_close(world)
    decide(world)
    c0, c1, c2 = world.candidates
    c0.summary = "Un atelier <b>mobile</b>"
    c0.commune = "Roubaix"
    c0.save()
    add_image(c0, "Le vélo-atelier devant la gare")
    with django_capture_on_commit_callbacks(execute=True):
        publication.publish_results(world.jury, user=world.manager)
    response = client().get(laureates_url(world))
    body = response.content.decode()
    assert c0.title in body and c1.title in body
    assert c2.title not in body, "the waiting list is not public"
    assert world.ineligible.title not in body
    assert "Roubaix" in body
    assert "Un atelier &lt;b&gt;mobile&lt;/b&gt;" in body
    assert 'alt="Le vélo-atelier devant la gare"' in body
    assert '<meta property="og:title"' in body
    assert '<meta property="og:image" content="http' in body
    assert '<meta property="og:image:alt" content="Le vélo-atelier devant la gare"' in body

    # The programme page links to it.
    programme_page = client().get(reverse("calls:programme", args=[world.programme.slug]))
    assert laureates_url(world) in programme_page.content.decode()


def test_laureate_images_become_public_and_others_stay_private(
    world, django_capture_on_commit_callbacks
):
    vote_and_close(world)
    decide(world)
    c0, _c1, c2 = world.candidates
    laureate_image = add_image(c0, "Laureate")
    waiting_image = add_image(c2, "Waiting")
    laureate_url = reverse("calls:application_image", args=[c0.pk, laureate_image.pk])
    waiting_url = reverse("calls:application_image", args=[c2.pk, waiting_image.pk])

    # Before the publication both are private.
    response = client().get(laureate_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client(world.maker).get(laureate_url).status_code == 404
    assert client(c0.maker).get(laureate_url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        publication.publish_results(world.jury, user=world.manager)
    response = client().get(laureate_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert client(world.maker).get(laureate_url).status_code == 200
    assert client().get(waiting_url).status_code == 302
    assert client(world.maker).get(waiting_url).status_code == 404
    assert client(c2.maker).get(waiting_url).status_code == 200
    # An image of another application under a laureate's address is not served.
    wrong = reverse("calls:application_image", args=[c0.pk, waiting_image.pk])
    assert client().get(wrong).status_code == 404


def test_laureates_helper(world, django_capture_on_commit_callbacks):
    assert list(publication.laureates(world.programme)) == []
    vote_and_close(world)
    decide(world)
    assert list(publication.laureates(world.programme)) == [], "not before the publication"
    with django_capture_on_commit_callbacks(execute=True):
        publication.publish_results(world.jury, user=world.manager)
    laureates = list(publication.laureates(world.programme))
    assert {a.pk for a in laureates} == {world.candidates[0].pk, world.candidates[1].pk}
    assert [a.title for a in laureates] == sorted(a.title for a in laureates)
    assert list(publication.laureates(world.other_programme)) == []
    assert Decision.objects.filter(outcome=Outcome.WAITING_LIST).count() == 1


# --- the close freezes the ballots --------------------------------------------------------------


def test_voting_is_refused_after_the_close(world):
    open_jury(world)
    member_user = world.juror
    ballot = voting.ballot_for(world.jury, member_user)
    voting.set_pick(ballot, world.candidates[0], True, user=member_user)
    close_jury(world)
    ballot.refresh_from_db()
    with pytest.raises(errors.VotingError):
        voting.set_pick(ballot, world.candidates[1], True, user=member_user)
    with pytest.raises(errors.VotingError):
        voting.set_pick(ballot, world.candidates[0], False, user=member_user)
    with pytest.raises(errors.VotingError):
        voting.submit_ballot(ballot, user=member_user)
    with pytest.raises(errors.VotingError):
        voting.recuse(ballot, world.candidates[2], user=member_user, reason="Conflit")
    with pytest.raises(errors.VotingError):
        voting.set_grade(ballot, world.candidates[0], 1, user=member_user)
    assert ballot.picks.count() == 1
    assert ballot.state == "draft"
    # The draft was not counted.
    closed = AuditLog.objects.get(action="tremplin.jury.closed")
    assert closed.data["ballots"] == 0
