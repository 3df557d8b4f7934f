"""The contributors' space without an account.

A contribution e-mail carries a signed link (``core.contributor_links``) naming the
contributor's address. Opening it offers to send a one-time code to that address; the code
(six digits, only its keyed hash stored, ``DONORS_CODE_ATTEMPTS`` tries,
``DONORS_CODE_MINUTES`` of life, sending rate-limited per address and per client) is
checked in the browser that asked for it (its id is kept in that session). Once verified,
the session holds the address for ``DONORS_SESSION_HOURS`` (the session key is cycled):
the space lists every contribution made with that address, across campaigns.

The verbs: ``send_code``, ``verify_code``, ``send_link`` (a new link, for whoever lost
theirs), ``update_choices`` (anonymity and news), ``save_address`` (the postal address a
tax receipt needs; due receipts are issued at once)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tremplin.core import ratelimit
from tremplin.core.audit import log_action
from tremplin.core.contributor_links import read_space_token, space_path
from tremplin.core.mail import send_mail_on_commit
from tremplin.donors import actions
from tremplin.donors.errors import DonorsError
from tremplin.donors.models import SpaceCode
from tremplin.donors.receipts import issue_receipt
from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution

SESSION_EMAIL = "donors_space_email"
SESSION_UNTIL = "donors_space_until"
SESSION_PENDING = "donors_space_code"
WINDOW = 3600  # the window of the sending limits, in seconds
# The contributions a contributor sees: abandoned checkouts are left out.
SHOWN_STATES = (
    ContributionState.CONFIRMED,
    ContributionState.REFUNDED,
    ContributionState.PENDING,
)


def normalise(email: str) -> str:
    return email.strip().lower()


def link_email(token: str) -> str | None:
    """The address of a space link, or None (forged, altered, expired)."""
    if len(token) > 500:
        return None
    return read_space_token(token, max_age_seconds=settings.DONORS_LINK_MAX_AGE_DAYS * 86400)


def contributions_of(email: str):
    return Contribution.objects.filter(email__iexact=email, state__in=SHOWN_STATES)


def _hash(code_pk: int, email: str, code: str) -> str:
    message = f"{code_pk}:{normalise(email)}:{code}".encode()
    key = hashlib.sha256(f"donors-space-code:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _allowed(request: HttpRequest, email: str, scope: str) -> bool:
    by_ip = ratelimit.allow(
        f"{scope}-ip",
        ratelimit.client_ip(request),
        limit=settings.DONORS_CODES_PER_IP,
        window=WINDOW,
    )
    by_email = ratelimit.allow(
        f"{scope}-email", normalise(email), limit=settings.DONORS_CODES_PER_EMAIL, window=WINDOW
    )
    return by_ip and by_email


def _too_many() -> DonorsError:
    return DonorsError(
        _("Too many codes were asked for this address: wait an hour and try again."),
        "rate_limited",
    )


def send_code(request: HttpRequest, email: str) -> SpaceCode:
    """Send a new one-time code to ``email`` (the address of a valid link) and remember it
    in this browser's session. Refused when too many were sent (``rate_limited``)."""
    email = normalise(email)
    if not _allowed(request, email, "donors-code"):
        raise _too_many()
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    with transaction.atomic():
        row = SpaceCode.objects.create(
            email=email,
            code_hash="",
            expires_at=now + datetime.timedelta(minutes=settings.DONORS_CODE_MINUTES),
        )
        row.code_hash = _hash(row.pk, email, code)
        row.save(update_fields=["code_hash"])
        send_mail_on_commit(
            "donors/email/code",
            email,
            {"code": code, "minutes": settings.DONORS_CODE_MINUTES},
            language=get_language() or settings.LANGUAGE_CODE,
        )
    request.session[SESSION_PENDING] = row.pk
    return row


def pending_email(request: HttpRequest) -> str | None:
    """The address this browser was sent a code for, if the code can still be used."""
    pk = request.session.get(SESSION_PENDING)
    if not isinstance(pk, int):
        return None
    row = SpaceCode.objects.filter(
        pk=pk, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if row is None or row.attempts >= settings.DONORS_CODE_ATTEMPTS:
        return None
    return row.email


@dataclass
class _Check:
    email: str = ""
    error: str = ""


def verify_code(request: HttpRequest, code: str) -> str:
    """Check ``code`` against the code this browser was sent; on success the session opens
    the space of its address (returned). Each wrong try is counted (kept even though the
    try is refused); past the limit or the expiry the code is dead."""
    pk = request.session.get(SESSION_PENDING)
    if not isinstance(pk, int):
        raise DonorsError(_("Ask for a code first."), "no_code")
    now = timezone.now()
    with transaction.atomic():
        row = SpaceCode.objects.select_for_update().filter(pk=pk).first()
        check = _Check()
        if row is None or row.used_at is not None or row.expires_at <= now:
            check.error = "expired"
        elif row.attempts >= settings.DONORS_CODE_ATTEMPTS:
            check.error = "too_many_attempts"
        else:
            row.attempts += 1
            if hmac.compare_digest(row.code_hash, _hash(row.pk, row.email, code.strip())):
                row.used_at = now
                check.email = row.email
            else:
                check.error = (
                    "too_many_attempts"
                    if row.attempts >= settings.DONORS_CODE_ATTEMPTS
                    else "wrong_code"
                )
            row.save(update_fields=["attempts", "used_at"])
    if check.error == "wrong_code":
        raise DonorsError(
            _("This code is not the one we sent. Check it and try again."), "wrong_code"
        )
    if check.error:
        request.session.pop(SESSION_PENDING, None)
        raise DonorsError(_("This code can no longer be used: ask for a new one."), check.error)
    request.session.cycle_key()
    request.session.pop(SESSION_PENDING, None)
    request.session[SESSION_EMAIL] = check.email
    until = now + datetime.timedelta(hours=settings.DONORS_SESSION_HOURS)
    request.session[SESSION_UNTIL] = until.isoformat()
    log_action(actions.SPACE_OPENED, data={"contributions": contributions_of(check.email).count()})
    return check.email


def space_email(request: HttpRequest) -> str | None:
    """The address whose space this browser has opened, while it is still open."""
    email = request.session.get(SESSION_EMAIL)
    until = request.session.get(SESSION_UNTIL)
    if not isinstance(email, str) or not isinstance(until, str):
        return None
    try:
        ends = datetime.datetime.fromisoformat(until)
    except ValueError:
        return None
    if ends <= timezone.now():
        close_space(request)
        return None
    return email


def close_space(request: HttpRequest) -> None:
    for key in (SESSION_EMAIL, SESSION_UNTIL, SESSION_PENDING):
        request.session.pop(key, None)


def send_link(request: HttpRequest, email: str) -> bool:
    """E-mail a new link to the space to ``email`` when it made a contribution (the page
    says the same either way, so it tells nobody whether an address contributed)."""
    email = normalise(email)
    if not _allowed(request, email, "donors-link"):
        raise _too_many()
    known = contributions_of(email).order_by("-created_at").first()
    if known is None:
        return False
    send_mail_on_commit(
        "donors/email/link",
        email,
        {"name": known.name, "space_path": space_path(email)},
        language=get_language() or known.language,
    )
    return True


# --- what the contributor changes ---------------------------------------------------------


def lock_own(email: str, contribution_pk: int) -> Contribution:
    contribution = (
        Contribution.objects.select_for_update()
        .filter(pk=contribution_pk, email__iexact=email, state__in=SHOWN_STATES)
        .first()
    )
    if contribution is None:
        raise DonorsError(_("This contribution is not yours."), "not_found")
    return contribution


def update_choices(
    email: str, contribution_pk: int, *, hide_name: bool, hide_amount: bool, news_consent: bool
) -> Contribution:
    with transaction.atomic():
        contribution = lock_own(email, contribution_pk)
        contribution.hide_name = hide_name
        contribution.hide_amount = hide_amount
        contribution.news_consent = news_consent
        contribution.save(update_fields=["hide_name", "hide_amount", "news_consent"])
        log_action(
            actions.SPACE_CHOICES_CHANGED,
            obj=contribution,
            data={"hide_name": hide_name, "hide_amount": hide_amount, "news_consent": news_consent},
        )
    return contribution


def save_address(email: str, *, address: str, postal_code: str, city: str, country: str) -> int:
    """The contributor's postal address, on every contribution of theirs that has no tax
    receipt yet; the receipts now due are issued. The number issued."""
    with transaction.atomic():
        own = list(
            Contribution.objects.select_for_update(of=("self",))
            .filter(email__iexact=email, state__in=SHOWN_STATES, tax_receipt__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Contribution.objects.filter(pk__in=own).update(
            address=address, postal_code=postal_code, city=city, country=country
        )
        log_action(actions.SPACE_ADDRESS_CHANGED, data={"contributions": len(own)})
        issued = 0
        for pk in own:
            if issue_receipt(pk) is not None:
                issued += 1
    return issued
