"""The domain verbs of an organiser's own settings: its partner organisations and its team.
Each one checks the change is allowed, saves and writes the audit log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tremplin.core.audit import log_action
from tremplin.core.models import Organiser, OrganiserMembership, OrganiserRole, Partner


class TeamError(ValidationError):
    """A team change that is not allowed; the message is shown to the user."""


# --- partners -----------------------------------------------------------------------------


def unique_partner_slug(organiser: Organiser, name: str, *, exclude_pk: int | None = None) -> str:
    """A slug made from the name, unique among the organiser's partners (``-2``, ``-3``…)."""
    base = (slugify(name) or "partenaire")[:70].strip("-") or "partenaire"
    taken = set(
        Partner.objects.filter(organiser=organiser, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def save_partner(partner: Partner, *, user, changed: list[str], created: bool = False) -> Partner:
    """Create a partner organisation (its slug made from its name) or save changes to it.
    The slug does not change afterwards: later tracked links rely on it."""
    with transaction.atomic():
        if created or not partner.slug:
            partner.slug = unique_partner_slug(partner.organiser, partner.name)
        partner.save()
        log_action(
            "tremplin.partner.created" if created else "tremplin.partner.changed",
            obj=partner,
            user=user,
            data={"name": partner.name, "changed": changed},
        )
    return partner


# --- team ---------------------------------------------------------------------------------


def _log_team(action: str, membership: OrganiserMembership, *, user, **data: Any) -> None:
    log_action(
        action,
        obj=membership.organiser,
        user=user,
        data={"member": membership.user.email, "role": membership.role, **data},
    )


def _ensure_admin(organiser: Organiser, user) -> None:
    if not OrganiserMembership.objects.filter(
        organiser=organiser, user=user, role=OrganiserRole.ADMIN
    ).exists():
        raise TeamError(_("Only an administrator of the team can change it."))


def add_member(organiser: Organiser, member, *, role: str, user) -> OrganiserMembership:
    """Add an existing account to the organiser's team with ``role``."""
    _ensure_admin(organiser, user)
    with transaction.atomic():
        if OrganiserMembership.objects.filter(organiser=organiser, user=member).exists():
            raise TeamError(_("This person is already a member of the team."))
        membership = OrganiserMembership.objects.create(organiser=organiser, user=member, role=role)
        _log_team("tremplin.team.member_added", membership, user=user)
    return membership


def change_role(membership: OrganiserMembership, *, role: str, user) -> OrganiserMembership:
    """Change a team member's role. Nobody changes their own role (so a team always keeps
    the administrator who could undo the change)."""
    _ensure_admin(membership.organiser, user)
    if membership.user_id == user.pk:
        raise TeamError(_("You cannot change your own role: ask another administrator."))
    with transaction.atomic():
        previous = membership.role
        if previous == role:
            return membership
        membership.role = role
        membership.save(update_fields=["role"])
        _log_team("tremplin.team.role_changed", membership, user=user, previous=previous)
    return membership


def remove_member(membership: OrganiserMembership, *, user) -> None:
    """Remove someone from the team (never oneself)."""
    _ensure_admin(membership.organiser, user)
    if membership.user_id == user.pk:
        raise TeamError(_("You cannot remove yourself from the team."))
    with transaction.atomic():
        _log_team("tremplin.team.member_removed", membership, user=user)
        membership.delete()
