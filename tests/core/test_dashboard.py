"""My space: what each role can do from there, and the preferences form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tremplin.calls.enums import ProgrammeState
from tremplin.core.models import AuditLog

pytestmark = pytest.mark.django_db

URL = "/tableau-de-bord/"


def test_url_name():
    assert reverse("core:dashboard") == URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(URL, {"language": "en"}).status_code == 302


def test_maker_sees_their_applications_and_no_back_office(client_for):
    maker = factories.UserFactory()
    application = factories.ApplicationFactory(maker=maker, title="Lampe en liège")
    factories.ApplicationFactory(title="Projet de quelqu'un d'autre")
    response = client_for(maker).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lampe en liège" in html
    assert "Projet de quelqu&#x27;un d&#x27;autre" not in html
    assert reverse("calls:application", args=[application.pk]) in html
    assert reverse("calls:my_applications") in html
    assert "/gestion/" not in html
    assert reverse("admin:index") not in html


def test_maker_without_application_is_shown_the_open_calls(client_for):
    programme = factories.ProgrammeFactory(name="MEL Makers 2020")
    factories.ProgrammeFactory(name="Brouillon", state=ProgrammeState.DRAFT)
    html = client_for(factories.UserFactory()).get(URL).content.decode()
    assert "MEL Makers 2020" in html
    assert programme.get_absolute_url() in html
    assert "Brouillon" not in html


def test_organiser_member_gets_a_link_to_their_back_office_only(
    client_for, organiser, other_organiser, manager, viewer
):
    for user in (manager, viewer):
        html = client_for(user).get(URL).content.decode()
        assert reverse("manage:programmes", args=[organiser.slug]) in html
        assert reverse("manage:programmes", args=[other_organiser.slug]) not in html
        assert organiser.name in html


def test_partner_member_sees_their_partner(client_for):
    membership = factories.PartnerMembershipFactory(partner__name="Lille Makers")
    html = client_for(membership.user).get(URL).content.decode()
    assert "Lille Makers" in html
    assert membership.partner.organiser.name in html


def test_coach_sees_the_coaching_section(client_for):
    html = client_for(factories.UserFactory(is_coach=True)).get(URL).content.decode()
    assert 'id="coach-title"' in html


@pytest.mark.parametrize("count", [2, 20])
def test_dashboard_queries_do_not_grow(client_for, django_assert_max_num_queries, count):
    user = factories.UserFactory()
    for _ in range(count):
        factories.ApplicationFactory(maker=user)
        factories.MembershipFactory(user=user)
        factories.PartnerMembershipFactory(user=user)
    client = client_for(user)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.context["application_count"] == count


def test_preferences_change_the_email_language(client_for):
    user = factories.UserFactory(language="fr")
    client = client_for(user)
    response = client.post(URL, {"full_name": "  Camille   Martin ", "language": "en"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en"
    assert user.full_name == "Camille Martin"
    entry = AuditLog.objects.get(action="tremplin.user.preferences_changed")
    assert entry.user == user
    assert set(entry.data["changed"]) == {"full_name", "language"}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"full_name": "Camille", "language": ""}, "language"),
        ({"full_name": "Camille", "language": "xx"}, "language"),
        ({"full_name": "x" * 151, "language": "en"}, "full_name"),
        ({"full_name": "Camille"}, "language"),
    ],
)
def test_preferences_bad_input_is_refused(client_for, data, field):
    user = factories.UserFactory(language="fr", full_name="Avant")
    response = client_for(user).post(URL, data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    user.refresh_from_db()
    assert (user.language, user.full_name) == ("fr", "Avant")
    assert not AuditLog.objects.exists()


def test_preferences_html_payload_is_escaped(client_for):
    user = factories.UserFactory()
    client = client_for(user)
    client.post(URL, {"full_name": "<script>alert(1)</script>", "language": "fr"})
    html = client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_preferences_post_of_someone_else_cannot_be_done(client_for):
    # The form only ever edits the signed-in user.
    me, other = factories.UserFactory(), factories.UserFactory(language="fr")
    client_for(me).post(URL, {"full_name": "x", "language": "en", "id": other.pk})
    other.refresh_from_db()
    assert other.language == "fr"


def test_closed_calls_are_not_suggested(client_for):
    factories.ProgrammeFactory(
        name="Fermé",
        state=ProgrammeState.CALL_CLOSED,
        call_opens_at=timezone.now() - timedelta(days=60),
        call_closes_at=timezone.now() - timedelta(days=1),
    )
    html = client_for(factories.UserFactory()).get(URL).content.decode()
    assert "Fermé" not in html
