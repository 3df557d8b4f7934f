from __future__ import annotations

import pytest
from django.test import Client

from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the page cache of public pages lives there)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def organiser(db):
    return factories.OrganiserFactory(name="Métropole Européenne de Lille", slug="mel")


@pytest.fixture
def other_organiser(db):
    return factories.OrganiserFactory(name="Autre Agglo", slug="autre")


@pytest.fixture
def manager(organiser):
    return factories.MembershipFactory(organiser=organiser).user


@pytest.fixture
def viewer(organiser):
    return factories.MembershipFactory(organiser=organiser, role="viewer").user


@pytest.fixture
def other_manager(other_organiser):
    return factories.MembershipFactory(organiser=other_organiser).user


@pytest.fixture
def maker(db):
    return factories.UserFactory()


@pytest.fixture
def programme(organiser):
    return factories.ProgrammeFactory(organiser=organiser, slug="mel-makers-2020")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    return login


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "hostile: the walk of every URL and form with hostile values (tests/security)"
    )
