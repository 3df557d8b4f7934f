"""The public programme page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.calls.helpers import english_client, image_bytes, pdf_bytes
from tremplin.calls.enums import ProgrammeState
from tremplin.calls.views import timeline

pytestmark = pytest.mark.django_db


def _url(programme):
    return reverse("calls:programme", args=[programme.slug])


@pytest.fixture
def users(maker, manager, viewer, other_manager):
    return {
        "anonymous": None,
        "maker": maker,
        "manager": manager,
        "viewer": viewer,
        "other_organiser": other_manager,
    }


@pytest.mark.parametrize("role", ["anonymous", "maker", "manager", "viewer", "other_organiser"])
def test_every_role_sees_a_public_programme(programme, users, role):
    response = english_client(users[role]).get(_url(programme))
    assert response.status_code == 200
    assert programme.name in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "maker", "manager", "viewer", "other_organiser"])
def test_draft_programme_is_not_found(organiser, users, role):
    draft = factories.ProgrammeFactory(organiser=organiser, state=ProgrammeState.DRAFT)
    assert english_client(users[role]).get(_url(draft)).status_code == 404


def test_unknown_programme_is_not_found(client):
    assert client.get("/p/nothing-here/").status_code == 404


def test_page_content(organiser, settings):
    organiser.website = "https://www.lillemetropole.fr"
    organiser.save()
    programme = factories.ProgrammeFactory(
        organiser=organiser,
        name="MEL Makers 2020",
        tagline="Les makers de la métropole",
        description="Première ligne.\nDeuxième ligne <script>alert(1)</script>",
        primary_colour="#123456",
        secondary_colour="#ABCDEF",
    )
    programme.logo.save("logo.png", ContentFile(image_bytes("PNG")), save=False)
    programme.rules_document.save("reglement.pdf", ContentFile(pdf_bytes()), save=False)
    programme.save()
    with_logo = factories.PartnerFactory(organiser=organiser, name="Université de Lille")
    with_logo.logo.save("ulille.png", ContentFile(image_bytes("PNG")))
    plain = factories.PartnerFactory(organiser=organiser, name="Lille Makers")
    programme.partners.add(with_logo, plain)

    response = english_client().get(_url(programme))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Les makers de la métropole" in html
    assert organiser.name in html
    assert "Première ligne.<br>Deuxième ligne &lt;script&gt;" in html
    assert "<script>alert(1)</script>" not in html
    assert "--brand-primary: #123456; --brand-secondary: #abcdef;" in html
    assert '<meta property="og:title" content="MEL Makers 2020">' in html
    assert '<meta property="og:description" content="Les makers de la métropole">' in html
    logo_url = reverse("core:public_media", args=[programme.logo.name.removeprefix("public/")])
    assert f'<meta property="og:image" content="{settings.SITE_URL}{logo_url}">' in html
    partner_logo = reverse("core:public_media", args=[with_logo.logo.name.removeprefix("public/")])
    assert f'src="{partner_logo}" alt="Université de Lille"' in html
    assert "Lille Makers" in html
    rules = reverse(
        "core:public_media", args=[programme.rules_document.name.removeprefix("public/")]
    )
    assert f'href="{rules}"' in html
    for category in programme.category_list:
        assert category in html
    for commune in programme.commune_list:
        assert commune in html
    assert f'href="{reverse("calls:apply", args=[programme.slug])}"' in html


def test_invalid_colours_never_reach_the_css(programme):
    # Bypass validation as a corrupted row would (the column holds 7 characters).
    type(programme).objects.filter(pk=programme.pk).update(
        primary_colour="</style", secondary_colour="#1234;}"
    )
    html = english_client().get(_url(programme)).content.decode()
    assert "--brand-primary: #0b5fa5; --brand-secondary: #e4572e;" in html
    assert "</style</style>" not in html and "#1234;}" not in html


def test_closed_call_shows_a_message_and_no_call_to_action(programme):
    programme.call_opens_at = timezone.now() - timedelta(days=40)
    programme.call_closes_at = timezone.now() - timedelta(days=1)
    programme.state = ProgrammeState.CALL_CLOSED
    programme.save()
    html = english_client().get(_url(programme)).content.decode()
    assert "The call for projects is closed" in html
    assert reverse("calls:apply", args=[programme.slug]) not in html


def test_call_not_yet_open_shows_its_opening_date(programme):
    programme.call_opens_at = datetime(2099, 3, 1, 8, 0, tzinfo=UTC)
    programme.call_closes_at = datetime(2099, 4, 30, 21, 59, tzinfo=UTC)
    programme.save()
    html = english_client().get(_url(programme)).content.decode()
    assert "1 March 2099 at 09:00" in html  # Europe/Paris, winter time
    assert reverse("calls:apply", args=[programme.slug]) not in html


def test_maker_with_an_application_is_offered_to_continue(programme, maker):
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    html = english_client(maker).get(_url(programme)).content.decode()
    assert "Continue my application" in html
    assert reverse("calls:application", args=[application.pk]) in html


def test_timeline_dates_are_in_paris_time_and_current_step_is_marked(programme):
    programme.call_opens_at = timezone.now() - timedelta(days=10)
    programme.call_closes_at = datetime(2099, 4, 30, 21, 59, tzinfo=UTC)
    programme.jury_starts_at = datetime(2099, 5, 10, 8, 0, tzinfo=UTC)
    programme.jury_ends_at = datetime(2099, 5, 20, 8, 0, tzinfo=UTC)
    programme.results_at = datetime(2099, 6, 1, 8, 0, tzinfo=UTC)
    programme.campaigns_start_at = datetime(2099, 9, 9, 8, 0, tzinfo=UTC)
    programme.campaigns_end_at = datetime(2099, 10, 18, 8, 0, tzinfo=UTC)
    programme.save()
    html = english_client().get(_url(programme)).content.decode()
    assert "30 April 2099 at 23:59" in html  # 21:59 UTC is 23:59 in Paris (summer time)
    assert "from 10 May 2099 to 20 May 2099" in html
    assert "from 9 September 2099 to 18 October 2099" in html
    assert html.count('aria-current="step"') == 1
    response = english_client().get(_url(programme), headers={"accept-language": "fr"})
    assert "30 avril 2099" in response.content.decode()


def test_timeline_states():
    now = timezone.now()
    programme = factories.ProgrammeFactory.build(
        call_opens_at=now - timedelta(days=30),
        call_closes_at=now - timedelta(days=10),
        jury_starts_at=now - timedelta(days=5),
        jury_ends_at=now + timedelta(days=5),
        results_at=now + timedelta(days=10),
    )
    assert [step.state for step in timeline(programme, now)] == [
        "past",
        "past",
        "current",
        "upcoming",
    ]
    programme.call_opens_at = now + timedelta(days=1)
    programme.call_closes_at = now + timedelta(days=2)
    programme.jury_starts_at = programme.jury_ends_at = programme.results_at = None
    assert [step.state for step in timeline(programme, now)] == ["upcoming", "upcoming"]


def test_programme_page_query_count(programme, django_assert_max_num_queries):
    for _ in range(5):
        programme.partners.add(factories.PartnerFactory(organiser=programme.organiser))
    client = english_client()
    with django_assert_max_num_queries(3):
        assert client.get(_url(programme)).status_code == 200
