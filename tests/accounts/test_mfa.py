"""Platform staff must set up TOTP before using the platform; the Django admin is for
platform staff only."""

from __future__ import annotations

from urllib.parse import quote

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
from tests.mfa import login_with_totp

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
    login_with_totp(client, staff_with_totp)
    assert client.get("/admin/").status_code == 200
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert reverse("admin:index") in response.content.decode()


BACK_OFFICE = ["/admin/", "/admin/core/user/", "/tableau-de-bord/", "/gestion/mel/programmes/"]


@pytest.mark.parametrize("url", BACK_OFFICE)
def test_a_password_only_session_of_staff_with_totp_is_sent_to_the_totp_step(
    client, staff_with_totp, url
):
    """Having TOTP is not enough: this session must have passed it (a session opened with
    the password alone, as the admin's own log-in form used to do, reaches nothing)."""
    factories.MembershipFactory(organiser__slug="mel", user=staff_with_totp)
    client.force_login(staff_with_totp)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next={quote(url, safe='')}"


def test_a_password_only_session_passes_the_totp_step_then_reaches_the_admin(
    client, staff_with_totp
):
    client.force_login(staff_with_totp)
    response = client.get("/admin/core/user/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    wrong = client.post(response["Location"], {"code": "000000"})
    assert wrong.status_code == 400
    assert client.get("/admin/").status_code == 302
    done = client.post(response["Location"], {"code": _current_code(staff_with_totp.totp_secret)})
    assert done.status_code == 302
    assert done["Location"] == "/admin/core/user/"
    assert client.get("/admin/core/user/").status_code == 200
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_admin_login_form_is_not_served(client, staff_with_totp):
    """/admin/login/ asks for no password: it sends to allauth's log-in, keeping next."""
    response = client.get("/admin/login/?next=/admin/core/user/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2Fcore%2Fuser%2F"
    # A password posted there signs nobody in.
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": staff_with_totp.email, "password": factories.PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    # An outside next is dropped.
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == reverse("account_login")


def test_admin_login_then_allauth_login_with_totp_comes_back_to_the_admin(client, staff_with_totp):
    response = client.get("/admin/core/user/")
    assert response["Location"].startswith(reverse("admin:login"))
    response = client.get(response["Location"])
    login_url = response["Location"]
    response = client.post(
        login_url, {"login": staff_with_totp.email, "password": factories.PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # not signed in before the code
    response = client.post(
        reverse("mfa_authenticate"), {"code": _current_code(staff_with_totp.totp_secret)}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/core/user/"
    assert client.get("/admin/core/user/").status_code == 200


def test_admin_login_refuses_a_signed_in_non_staff_user(client):
    client.force_login(factories.UserFactory())
    assert client.get("/admin/login/?next=/admin/").status_code == 403


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
