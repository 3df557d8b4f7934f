"""The signed link of a jury invitation: ``jury:accept`` reads the JuryMember's pk back.

The token is made with ``django.core.signing`` (salt ``tremplin.jury.invitation``) and is
valid for 30 days; an invitation sent again gets a fresh token."""

from __future__ import annotations

from django.core import signing

INVITATION_SALT = "tremplin.jury.invitation"
INVITATION_MAX_AGE = 30 * 24 * 3600  # seconds


def make_invitation_token(member) -> str:
    """A URL-safe signed token carrying the JuryMember's primary key (a JuryMember or its
    pk may be given)."""
    pk = getattr(member, "pk", member)
    return signing.dumps(int(pk), salt=INVITATION_SALT, compress=False)


def read_invitation_token(token: str, *, max_age: int = INVITATION_MAX_AGE) -> int | None:
    """The JuryMember's pk, or None when the token is forged, altered or expired."""
    try:
        value = signing.loads(token, salt=INVITATION_SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None  # SignatureExpired is a BadSignature
    return value if isinstance(value, int) and not isinstance(value, bool) else None
