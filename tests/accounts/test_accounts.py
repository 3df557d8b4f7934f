"""Accounts with django-allauth: sign-up with e-mail verification, login by password and
by code, password reset — e-mails rendered in the request and sent by the task queue."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests import factories
from tests.accounts.conftest import links_in, path_of
from tremplin.core.models import User

pytestmark = pytest.mark.django_db

STRONG = "Un-mot-de-passe-solide-42"


def _signup(client, email="nouvelle@example.org", **extra):
    data = {"email": email, "password1": STRONG, "password2": STRONG, **extra}
    return client.post(reverse("account_signup"), data)


def test_signup_sends_a_verification_email_then_confirming_logs_in(
    client, outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert callbacks, "the e-mail is queued on commit"
    user = User.objects.get(email="nouvelle@example.org")
    assert user.language == "fr"
    assert not EmailAddress.objects.get(user=user).verified
    # Not logged in before verification.
    assert client.get(reverse("core:dashboard")).status_code == 302

    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == ["nouvelle@example.org"]
    assert message.subject.startswith("[Tremplin] ")
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert "<html" in html and "Tremplin" in html
    confirm = next(link for link in links_in(message) if "/comptes/confirm-email/" in link)

    page = client.get(path_of(confirm))
    assert page.status_code == 200
    response = client.post(path_of(confirm))
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_signup_in_english_sends_the_mail_in_english_and_remembers_the_language(
    client, outbox, django_capture_on_commit_callbacks
):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        _signup(client, email="english@example.org")
    assert User.objects.get(email="english@example.org").language == "en"
    assert "Hello," in outbox[0].body
    assert "The Tremplin team" in outbox[0].body


def test_mail_is_not_sent_when_the_transaction_does_not_commit(client, outbox):
    # Without running on-commit callbacks nothing leaves: mail follows the transaction.
    _signup(client, email="rolledback@example.org")
    assert outbox == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "", "password1": STRONG, "password2": STRONG}, "email"),
        ({"email": "not-an-email", "password1": STRONG, "password2": STRONG}, "email"),
        ({"email": "a" * 250 + "@example.org", "password1": STRONG, "password2": STRONG}, "email"),
        ({"email": "x@example.org", "password1": STRONG, "password2": STRONG + "x"}, "password2"),
        ({"email": "x@example.org", "password1": "123", "password2": "123"}, "password1"),
        ({"email": "x@example.org", "password1": "", "password2": ""}, "password1"),
    ],
)
def test_signup_bad_input_is_refused_on_the_field(client, outbox, data, field):
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 400
    assert response.context["form"].errors.get(field), response.context["form"].errors
    html = response.content.decode()
    assert 'class="errorlist"' in html
    assert 'aria-invalid="true"' in html
    assert not User.objects.exists()
    assert outbox == []


def test_signup_html_payload_is_shown_escaped(client):
    payload = '"><script>alert(1)</script>@example.org'
    response = client.post(
        reverse("account_signup"), {"email": payload, "password1": STRONG, "password2": STRONG}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert not User.objects.exists()


def test_signup_with_an_existing_address_creates_no_second_account(
    client, outbox, django_capture_on_commit_callbacks
):
    factories.UserFactory(email="deja@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, email="deja@example.org")
    # allauth does not reveal that the account exists: it says a mail was sent.
    assert response.status_code in (302, 400)
    assert User.objects.filter(email="deja@example.org").count() == 1


def test_login_by_password(client):
    user = factories.UserFactory(email="maker@example.org")
    response = client.post(
        reverse("account_login"), {"login": "maker@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
    assert client.get(reverse("core:dashboard")).context["user"] == user


def test_login_with_a_wrong_password_is_refused(client):
    factories.UserFactory(email="maker@example.org")
    response = client.post(
        reverse("account_login"), {"login": "maker@example.org", "password": "wrong"}
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_login_with_an_empty_form_is_refused(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    assert response.status_code == 400
    assert response.context["form"].errors


def test_login_by_code_sent_by_email(client, outbox, django_capture_on_commit_callbacks):
    user = factories.UserFactory(email="occasional@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_request_login_code"), {"email": "occasional@example.org"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    assert len(outbox) == 1
    body = outbox[0].body
    code = re.search(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]+)?)\s*$", body, re.MULTILINE).group(1)

    wrong = client.post(reverse("account_confirm_login_code"), {"code": "NOPE-NOPE"})
    assert wrong.status_code == 400
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).context["user"] == user


def test_password_reset(client, outbox, django_capture_on_commit_callbacks):
    factories.UserFactory(email="forgetful@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": "forgetful@example.org"}
        )
    assert response.status_code == 302
    assert len(outbox) == 1
    link = next(link for link in links_in(outbox[0]) if "/password/reset/key/" in link)
    response = client.get(path_of(link))
    assert response.status_code == 302  # allauth moves the key into the session
    set_password_url = response["Location"]
    new_password = "Encore-un-meilleur-mot-de-passe-7"
    response = client.post(set_password_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "forgetful@example.org", "password": new_password}
    )
    assert response.status_code == 302


def test_password_reset_bad_address_is_refused(client, outbox):
    response = client.post(reverse("account_reset_password"), {"email": "not an address"})
    assert response.status_code == 400
    assert outbox == []


def test_account_pages_look_like_the_site(client):
    for name in (
        "account_login",
        "account_signup",
        "account_request_login_code",
        "account_reset_password",
    ):
        html = client.get(reverse(name)).content.decode()
        assert 'class="site-header"' in html, name
        assert 'href="/static/tremplin/css/app.css"' in html, name
        assert html.count("<h1") == 1, name
        # Every visible input has a label.
        for input_id in re.findall(
            r'<input[^>]*type="(?:email|password|text)"[^>]*id="([^"]+)"', html
        ):
            assert f'for="{input_id}"' in html, (name, input_id)


def test_manage_pages_have_the_account_menu(client):
    user = factories.UserFactory()
    client.force_login(user)
    for name in ("account_email", "account_change_password", "mfa_index"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'class="account-nav"' in html
        assert 'aria-current="page"' in html


def test_allauth_mail_goes_through_the_task_queue(
    client, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    from tremplin.core.tasks import send_rendered_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    factories.UserFactory(email="queued@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "queued@example.org"})
    assert mail.outbox == []  # queued, not sent in the request
    [result] = default_task_backend.results
    assert result.task.func is send_rendered_email.func
    kwargs = result.kwargs
    assert kwargs["to"] == ["queued@example.org"]
    assert "/comptes/password/reset/key/" in kwargs["body"]
    assert "<html" in kwargs["html"]

    # The worker sends exactly what was rendered.
    send_rendered_email.call(**kwargs)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].body == kwargs["body"]
    assert mail.outbox[0].alternatives[0][1] == "text/html"
