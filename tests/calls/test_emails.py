"""Confirmation e-mails, in the maker's language, with the deadline in Paris time."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests import factories
from tremplin.calls import applications

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(organiser):
    return factories.ProgrammeFactory(
        organiser=organiser,
        name="MEL Makers 2099",
        call_opens_at=timezone.now() - timedelta(days=1),
        # 21:59 UTC on 30 April is 23:59 in Paris (summer time)
        call_closes_at=datetime(2099, 4, 30, 21, 59, tzinfo=UTC),
    )


def _submit(programme, language, capture, **fields):
    maker = factories.UserFactory(language=language)
    application = factories.ApplicationFactory(
        programme=programme, maker=maker, maker_name="Camille", **fields
    )
    with capture(execute=True):
        applications.submit_application(application, user=maker)
    assert len(mail.outbox) == 1
    return application, mail.outbox[0]


def test_confirmation_in_french(programme, django_capture_on_commit_callbacks):
    application, message = _submit(
        programme, "fr", django_capture_on_commit_callbacks, title="Vélo cargo"
    )
    assert message.to == [application.maker.email]
    assert application.reference in message.subject
    assert "Vélo cargo" in message.subject
    assert "30 avril 2099" in message.body
    assert "23:59" in message.body
    assert "MEL Makers 2099" in message.body
    assert f"http://127.0.0.1:8000/candidatures/{application.pk}/" in message.body
    html = message.alternatives[0][0]
    assert "30 avril 2099" in html


def test_confirmation_in_english(programme, django_capture_on_commit_callbacks):
    application, message = _submit(
        programme, "en", django_capture_on_commit_callbacks, title="Cargo bike"
    )
    assert message.subject == f"Application received: Cargo bike ({application.reference})"
    assert "Hello Camille," in message.body
    assert "We have received your application “Cargo bike” to MEL Makers 2099." in message.body
    assert f"Your reference: {application.reference}" in message.body
    assert "until the deadline, 30 April 2099 at 23:59 (Paris time)." in message.body
    assert "avril" not in message.body
    html = message.alternatives[0][0]
    assert "30 April 2099 at 23:59" in html


def test_confirmation_escapes_html_only_in_the_html_part(
    programme, django_capture_on_commit_callbacks
):
    _application, message = _submit(
        programme, "en", django_capture_on_commit_callbacks, title="<b>Bold</b> & co"
    )
    assert "“<b>Bold</b> & co”" in message.body
    html = message.alternatives[0][0]
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in html
    assert "<b>Bold</b>" not in html


def test_update_mail_after_changes(programme, django_capture_on_commit_callbacks):
    application, _first = _submit(programme, "en", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        applications.submit_application(application, user=application.maker)
    assert mail.outbox[1].subject.startswith("Application updated:")
    assert "are saved" in mail.outbox[1].body


def test_withdrawal_mail_in_english(programme, django_capture_on_commit_callbacks):
    maker = factories.UserFactory(language="en")
    application = factories.SubmittedApplicationFactory(
        programme=programme, maker=maker, title="Cargo bike"
    )
    with django_capture_on_commit_callbacks(execute=True):
        applications.withdraw_application(application, user=maker)
    message = mail.outbox[0]
    assert message.subject == "Application withdrawn: Cargo bike"
    assert "Your application “Cargo bike” to MEL Makers 2099 is withdrawn." in message.body
