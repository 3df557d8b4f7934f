"""A member of staff goes to the admin: sent to the site's log-in, gives the password and
the TOTP code, then uses the admin. The account and admin pages break no rule of the
Content-Security-Policy (the conftest fails a test on any violation)."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests import factories
from tests.accounts.test_mfa import _current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_logs_in_with_totp_then_uses_the_admin(page, live_server, axe, settings):
    settings.SITE_URL = live_server.url
    staff = factories.UserFactory(email="staff@example.org", is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    maker = factories.UserFactory(email="maker@example.org")

    page.goto("/admin/")
    assert page.url.startswith(f"{live_server.url}{reverse('account_login')}?next=")
    page.fill("input[name=login]", staff.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url(f"**{reverse('mfa_authenticate')}")
    axe.check(page)
    page.fill("input[name=code]", _current_code(secret))
    page.locator("form:has(input[name=code]) .btn-primary[type=submit]").click()
    page.wait_for_url(f"**{reverse('admin:index')}")
    page.goto(reverse("admin:core_user_changelist"))
    page.goto(reverse("admin:core_user_change", args=[maker.pk]))
    page.locator("input[name=email]").wait_for()
    page.goto(reverse("mfa_index"))
    axe.check(page)
