"""Scoping of organiser data. Every back-office view resolves the organiser through the
current user's membership: another organiser's slug or object answers 404, never 403, so
nothing leaks about what exists elsewhere."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from tremplin.core.models import Organiser, OrganiserMembership


def get_membership(request: HttpRequest, organiser_slug: str) -> OrganiserMembership:
    user = request.user
    if not user.is_authenticated:
        raise Http404
    try:
        return OrganiserMembership.objects.select_related("organiser").get(
            organiser__slug=organiser_slug, user=user
        )
    except OrganiserMembership.DoesNotExist:
        raise Http404 from None


def organiser_view(*, edit: bool = False, post_needs_edit: bool = False):
    """Decorate a back-office view taking ``organiser_slug``: sets ``request.organiser`` and
    ``request.membership``; 404 for non-members; 403 for read-only members on edit views.
    ``post_needs_edit``: reading is open to every member (viewers included), but any other
    method than GET/HEAD needs edit rights (403 otherwise)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, organiser_slug: str, *args, **kwargs):
            membership = get_membership(request, organiser_slug)
            needs_edit = edit or (post_needs_edit and request.method not in ("GET", "HEAD"))
            if needs_edit and not membership.can_edit:
                raise PermissionDenied
            request.membership = membership
            request.organiser = membership.organiser
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def organisers_of(user) -> list[Organiser]:
    if not user.is_authenticated:
        return []
    return list(Organiser.objects.filter(memberships__user=user).order_by("name"))


def staff_view(view):
    """A page for platform staff only: anonymous → the log-in page; signed in but not an
    active member of staff → 403. A staff session that has not passed TOTP never gets here:
    the staff middleware (``core.middleware.StaffMFAMiddleware``) sends it to TOTP first."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
