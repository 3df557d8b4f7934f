"""Who may do what with personal data rights (predicates)."""

from __future__ import annotations

from tremplin.privacy.models import DataExport


def can_download(user, export: DataExport) -> bool:
    """An account's export: its owner, signed in. An address's export: whoever holds the
    signed link that was sent to that address."""
    if export.user_id is None:
        return True
    return bool(user.is_authenticated and user.pk == export.user_id)


def can_manage_retention(membership) -> bool:
    return membership.can_edit
