"""The audit log: ``log_action("tremplin.application.submitted", obj=app, user=user, data=...)``.

Every state change and settings change goes through here. Values whose key looks like a
secret are masked before they are stored, so a log can be shown or exported safely."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from tremplin.core.models import AuditLog, Organiser

SECRET_MARKERS = ("password", "secret", "token", "api_key", "apikey", "private", "signing")
MASK = "********"


def mask_secrets(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: (
                MASK
                if any(marker in str(key).lower() for marker in SECRET_MARKERS) and v
                else mask_secrets(v)
            )
            for key, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_secrets(v) for v in value]
    return value


def _organiser_of(obj: models.Model | None) -> Organiser | None:
    if obj is None:
        return None
    if isinstance(obj, Organiser):
        return obj
    organiser_id = getattr(obj, "organiser_id", None)
    if organiser_id is not None:
        return Organiser(pk=organiser_id)
    owner = getattr(obj, "audit_organiser", None)
    return owner() if callable(owner) else owner


def log_action(
    action: str,
    *,
    obj: models.Model | None = None,
    user: Any = None,
    data: dict[str, Any] | None = None,
    organiser: Organiser | None = None,
) -> AuditLog:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditLog.objects.create(
        action=action,
        user=user,
        organiser=organiser or _organiser_of(obj),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        data=mask_secrets(data or {}),
    )


def entries_for(obj: models.Model):
    return (
        AuditLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )
        .select_related("user")
        .order_by("-created_at", "-id")
    )
