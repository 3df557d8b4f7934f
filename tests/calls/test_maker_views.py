"""My applications, my application, withdrawal and the private files."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.calls.helpers import english_client, image_bytes, pdf_bytes
from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState, QuestionKind
from tremplin.calls.models import Application, ApplicationImage
from tremplin.core.models import AuditLog

pytestmark = pytest.mark.django_db

OTHERS = ["other_maker", "manager", "viewer", "other_manager"]


@pytest.fixture
def other_maker(db):
    return factories.UserFactory()


@pytest.fixture
def application(programme, maker):
    return factories.SubmittedApplicationFactory(
        programme=programme, maker=maker, title="Atelier <b>vélo</b>"
    )


@pytest.fixture
def file_answer(application):
    question = factories.QuestionFactory(programme=application.programme, kind=QuestionKind.FILE)
    answer = factories.AnswerFactory(application=application, question=question, value=None)
    answer.file.save("0123abcd.pdf", ContentFile(pdf_bytes()), save=True)
    return answer


@pytest.fixture
def image(application):
    image = ApplicationImage(application=application, alt_text="Un vélo")
    image.image.save("0123abcd.jpg", ContentFile(image_bytes()), save=True)
    return image


# --- my applications -----------------------------------------------------------------------


def test_my_applications_lists_only_mine(maker, application, other_maker):
    other = factories.ApplicationFactory(maker=other_maker, title="Pas à moi")
    response = english_client(maker).get(reverse("calls:my_applications"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Atelier &lt;b&gt;vélo&lt;/b&gt;" in html
    assert other.title not in html
    assert reverse("calls:application", args=[application.pk]) in html


def test_my_applications_empty(maker):
    html = english_client(maker).get(reverse("calls:my_applications")).content.decode()
    assert "You have not applied to any call for projects yet." in html


def test_my_applications_needs_login(client):
    response = client.get(reverse("calls:my_applications"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_my_applications_has_no_n_plus_one(maker, django_assert_max_num_queries):
    client = english_client(maker)

    def count_queries(rows: int) -> int:
        Application.objects.filter(maker=maker).delete()
        for _ in range(rows):
            factories.ApplicationFactory(maker=maker)  # each in its own programme/organiser
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("calls:my_applications")).status_code == 200
        return len(queries)

    two = count_queries(2)
    twenty = count_queries(20)
    assert twenty == two
    with django_assert_max_num_queries(two):
        client.get(reverse("calls:my_applications"))


# --- my application ------------------------------------------------------------------------


def test_maker_sees_the_application(maker, application, file_answer, image):
    response = english_client(maker).get(reverse("calls:application", args=[application.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Atelier &lt;b&gt;vélo&lt;/b&gt;</h1>" in html
    assert f"Reference {application.reference}" in html
    assert "Submitted on " in html
    assert "Eligible" not in html and "Not screened yet" not in html
    assert reverse("calls:application_file", args=[application.pk, file_answer.pk]) in html
    assert reverse("calls:application_image", args=[application.pk, image.pk]) in html
    assert 'alt="Un vélo"' in html
    assert reverse("calls:withdraw", args=[application.pk]) in html
    assert reverse("calls:apply", args=[application.programme.slug]) in html


@pytest.mark.parametrize("role", OTHERS)
def test_application_of_someone_else_is_not_found(application, role, request):
    user = request.getfixturevalue(role)
    client = english_client(user)
    assert client.get(reverse("calls:application", args=[application.pk])).status_code == 404
    assert client.get(reverse("calls:withdraw", args=[application.pk])).status_code == 404
    response = client.post(reverse("calls:withdraw", args=[application.pk]), {"confirm": "on"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_anonymous_is_sent_to_log_in(client, application):
    for name in ("calls:application", "calls:withdraw"):
        response = client.get(reverse(name, args=[application.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_unknown_application_is_not_found(maker):
    assert english_client(maker).get(reverse("calls:application", args=[999999])).status_code == 404


def test_no_withdraw_button_once_screened(maker, application):
    Application.objects.filter(pk=application.pk).update(eligibility=Eligibility.INELIGIBLE)
    html = english_client(maker).get(reverse("calls:application", args=[application.pk]))
    assert reverse("calls:withdraw", args=[application.pk]) not in html.content.decode()


# --- withdraw ------------------------------------------------------------------------------


def test_withdraw_with_confirmation(maker, application, django_capture_on_commit_callbacks):
    client = english_client(maker)
    url = reverse("calls:withdraw", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="confirm"' in page.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED  # GET changes nothing

    response = client.post(url, {})
    assert response.status_code == 400
    assert response.context["form"].errors.as_data()["confirm"][0].code == "required"
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:application", args=[application.pk])
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert AuditLog.objects.filter(action="tremplin.application.withdrawn").count() == 1
    assert len(mail.outbox) == 1
    assert "Atelier <b>vélo</b>" in mail.outbox[0].body  # plain text, not escaped
    html_part = mail.outbox[0].alternatives[0][0]
    assert "Atelier &lt;b&gt;vélo&lt;/b&gt;" in html_part

    again = client.post(url, {"confirm": "on"})
    assert again.status_code == 400
    assert AuditLog.objects.filter(action="tremplin.application.withdrawn").count() == 1


def test_withdraw_refused_after_screening(maker, application):
    Application.objects.filter(pk=application.pk).update(eligibility=Eligibility.ELIGIBLE)
    client = english_client(maker)
    url = reverse("calls:withdraw", args=[application.pk])
    assert "can no longer be withdrawn" in client.get(url).content.decode()
    assert client.post(url, {"confirm": "on"}).status_code == 400
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_withdraw_refused_once_the_jury_started(maker, application, programme):
    programme.call_closes_at = timezone.now() - timedelta(days=1)
    programme.state = ProgrammeState.JURY
    programme.save()
    response = english_client(maker).post(
        reverse("calls:withdraw", args=[application.pk]), {"confirm": "on"}
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_withdraw_needs_post(maker, application):
    client = english_client(maker)
    response = client.put(reverse("calls:withdraw", args=[application.pk]))
    assert response.status_code == 405


# --- private files -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["maker", "manager", "viewer"])
def test_maker_and_organiser_team_get_the_private_files(role, request, file_answer, image):
    user = request.getfixturevalue(role)
    client = english_client(user)
    application = file_answer.application
    response = client.get(reverse("calls:application_file", args=[application.pk, file_answer.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"].startswith("private")
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response = client.get(reverse("calls:application_image", args=[application.pk, image.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize("role", ["other_maker", "other_manager"])
def test_others_do_not_get_the_private_files(role, request, file_answer, image):
    user = request.getfixturevalue(role)
    client = english_client(user)
    application = file_answer.application
    url = reverse("calls:application_file", args=[application.pk, file_answer.pk])
    assert client.get(url).status_code == 404
    url = reverse("calls:application_image", args=[application.pk, image.pk])
    assert client.get(url).status_code == 404


def test_anonymous_does_not_get_the_private_files(client, file_answer, image):
    application = file_answer.application
    for url in (
        reverse("calls:application_file", args=[application.pk, file_answer.pk]),
        reverse("calls:application_image", args=[application.pk, image.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_file_of_another_application_is_not_found(maker, application, programme, other_maker):
    theirs = factories.SubmittedApplicationFactory(programme=programme, maker=other_maker)
    question = factories.QuestionFactory(programme=programme, kind=QuestionKind.FILE)
    answer = factories.AnswerFactory(application=theirs, question=question, value=None)
    answer.file.save("x.pdf", ContentFile(pdf_bytes()), save=True)
    their_image = ApplicationImage(application=theirs)
    their_image.image.save("x.jpg", ContentFile(image_bytes()), save=True)
    client = english_client(maker)
    # my application's pk with their file's pk
    url = reverse("calls:application_file", args=[application.pk, answer.pk])
    assert client.get(url).status_code == 404
    url = reverse("calls:application_image", args=[application.pk, their_image.pk])
    assert client.get(url).status_code == 404


def test_missing_file_is_not_found(maker, file_answer):
    file_answer.file.storage.delete(file_answer.file.name)
    url = reverse("calls:application_file", args=[file_answer.application.pk, file_answer.pk])
    assert english_client(maker).get(url).status_code == 404


def test_private_files_are_not_public_media(client, file_answer, image):
    for name in (file_answer.file.name, image.image.name):
        assert not name.startswith("public/")
        assert client.get(f"/media/public/../{name}").status_code == 404
        assert client.get(f"/media/{name}").status_code == 404
