"""calls.rules: who may read an application. Calls knows nothing of the apps built on it:
beyond the maker and the organiser's team it asks them through calls.signals."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests import factories
from tremplin.calls import rules
from tremplin.calls.signals import application_publicity_requested, application_read_requested

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(programme):
    return factories.SubmittedApplicationFactory(programme=programme)


def test_the_maker_and_the_organiser_team_read_an_application(application, viewer, manager):
    assert rules.can_read_application(application.maker, application)
    assert rules.can_read_application(viewer, application)
    assert rules.can_read_application(manager, application)


def test_a_stranger_reads_it_only_when_a_receiver_says_yes(application, other_manager):
    stranger = factories.UserFactory()
    assert not rules.can_read_application(stranger, application)
    assert not rules.can_read_application(other_manager, application)
    assert not rules.can_read_application(AnonymousUser(), application)
    asked = []

    def receiver(sender, *, user, application, **kwargs):
        asked.append((user, application))
        return user == stranger

    def says_nothing(sender, **kwargs):
        return None

    application_read_requested.connect(receiver, dispatch_uid="test.receiver")
    application_read_requested.connect(says_nothing, dispatch_uid="test.says_nothing")
    try:
        assert rules.can_read_application(stranger, application)
        assert not rules.can_read_application(other_manager, application)
    finally:
        application_read_requested.disconnect(dispatch_uid="test.receiver")
        application_read_requested.disconnect(dispatch_uid="test.says_nothing")
    assert asked == [(stranger, application), (other_manager, application)]
    # The maker is never asked about: calls answers for them itself.
    assert rules.can_read_application(application.maker, application)


def test_an_application_is_public_when_a_receiver_says_so(application):
    assert not rules.is_application_public(application)
    application_publicity_requested.connect(
        lambda sender, *, application, **kwargs: True, dispatch_uid="test.public", weak=False
    )
    try:
        assert rules.is_application_public(application)
    finally:
        application_publicity_requested.disconnect(dispatch_uid="test.public")
