"""The signed link to a contributor's space (the ``donors`` app), made here so that every
app that e-mails a contributor (funding's confirmation and close e-mails, donors' receipts)
can carry it without importing an app above it.

The token signs the lower-cased e-mail address with its own salt and a timestamp
(``django.core.signing``): it cannot be forged or changed to another address, and
``donors`` refuses it after ``DONORS_LINK_MAX_AGE_DAYS``. It only proves that its holder
received an e-mail sent to that address once: opening the space still needs the one-time
code sent to the address at that moment."""

from __future__ import annotations

from django.core import signing
from django.urls import reverse

SALT = "tremplin.contributor-space-link"


def space_token(email: str) -> str:
    return signing.dumps(email.strip().lower(), salt=SALT, compress=False)


def read_space_token(token: str, *, max_age_seconds: int) -> str | None:
    """The address ``token`` carries, or None when it is forged, altered or expired."""
    try:
        value = signing.loads(token, salt=SALT, max_age=max_age_seconds)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return value if isinstance(value, str) and "@" in value else None


def space_path(email: str) -> str:
    """The path of the space's entry for ``email`` ("" without an address)."""
    if not email:
        return ""
    return reverse("donors:open", kwargs={"token": space_token(email)})
