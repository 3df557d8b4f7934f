"""Platform staff must set up TOTP before using the platform; the Django admin is for
platform staff only."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.fixture
def staff():
    return factories.UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_with_totp(staff):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    staff.totp_secret = secret
    return staff


def test_mfa_pages_live_under_the_allowed_prefix():
    from tremplin.core.middleware import STAFF_MFA_ALLOWED_PREFIXES

    for name in (
        "mfa_index",
        "mfa_activate_totp",
        "mfa_authenticate",
        "account_logout",
        "account_reauthenticate",
        "mfa_view_recovery_codes",
    ):
        assert reverse(name).startswith(STAFF_MFA_ALLOWED_PREFIXES), name


@pytest.mark.parametrize("url", ["/admin/", "/tableau-de-bord/", "/"])
def test_staff_without_totp_is_sent_to_set_it_up(client, staff, url):
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_without_totp_can_still_reach_the_account_pages(client, staff):
    client.force_login(staff)
    assert client.get(reverse("mfa_index")).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_staff_sets_up_totp_after_logging_in_then_reaches_the_admin(client, staff):
    response = client.post(
        reverse("account_login"), {"login": staff.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    # Every page but the account pages leads to the TOTP set-up.
    response = client.get("/admin/")
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before a security change.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": factories.PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="alert alert-warning"' in html  # why the staff member is here
    assert 'class="totp-qr"' in html
    secret = page.context["form"].secret

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 400
    assert not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    # Then the recovery codes are shown, in a labelled read-only field.
    codes = client.get(response["Location"])
    assert codes.status_code == 200
    html = codes.content.decode()
    assert '<label for="recovery_codes">' in html
    unused = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    assert unused.wrap().get_unused_codes()[0] in html
    assert client.get("/admin/").status_code == 200


def test_staff_with_totp_logs_in_with_a_code_and_reaches_the_admin(client, staff_with_totp):
    response = client.post(
        reverse("account_login"),
        {"login": staff_with_totp.email, "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 400
    response = client.post(
        reverse("mfa_authenticate"), {"code": _current_code(staff_with_totp.totp_secret)}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_staff_with_totp_reaches_admin_and_dashboard(client, staff_with_totp):
    client.force_login(staff_with_totp)
    assert client.get("/admin/").status_code == 200
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert reverse("admin:index") in response.content.decode()


def test_non_staff_cannot_reach_the_admin(client):
    maker = factories.UserFactory()
    client.force_login(maker)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    response = client.get(reverse("admin:core_user_changelist"))
    assert response.status_code == 302
    # Organiser team members are not platform staff either.
    manager = factories.MembershipFactory().user
    client.force_login(manager)
    assert client.get("/admin/").status_code == 302


def test_anonymous_cannot_reach_the_admin(client):
    response = client.get(reverse("admin:core_user_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_non_staff_need_no_totp(client):
    maker = factories.UserFactory()
    client.force_login(maker)
    assert client.get(reverse("core:dashboard")).status_code == 200
