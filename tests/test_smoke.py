import pytest

from tests import factories


@pytest.mark.django_db
def test_factories_build_a_programme_with_an_application():
    app = factories.SubmittedApplicationFactory()
    assert app.programme.is_accepting_applications()
