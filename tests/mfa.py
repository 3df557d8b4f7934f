"""Platform staff in tests: signed in with their TOTP step passed, as the log-in leaves
them (core/mfa.py checks the session's authentication records, not only the user)."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client, RequestFactory


def login_with_totp(client: Client, user) -> Client:
    """Sign ``user`` in on ``client`` as after the password and TOTP steps (their TOTP is
    set up first if need be)."""
    authenticator = (
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        or TOTP.activate(user, generate_totp_secret()).instance
    )
    client.force_login(user)
    request = RequestFactory().get("/")
    request.user = user
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    return client
