"""The audit log: ``log_action("tremplin.application.submitted", obj=app, user=user, data=...)``.

Every state change and settings change goes through here. Values whose key looks like a
secret are masked before they are stored, so a log can be shown or exported safely."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

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


# --- display ------------------------------------------------------------------------------
# Each app registers its own actions, data keys and value enums from its ``actions`` module
# in ``AppConfig.ready()`` (``register(actions)``); core knows none of them.

_ACTION_LABELS: dict[str, Any] = {}
_DATA_LABELS: dict[str, Any] = {}
_VALUE_CHOICES: list[type[models.Choices]] = []

# Internal identifiers that mean nothing to a reader.
HIDDEN_DATA_KEYS = {"question"}


def register(actions_module: Any) -> None:
    """Register an app's ``LABELS`` (action → label), ``DATA_LABELS`` (data key → label) and
    ``VALUE_CHOICES`` (enums whose values the entries record). An action registered twice
    with another label is a programming error; a data key may be shared if its label is
    the same message."""
    for action, label in getattr(actions_module, "LABELS", {}).items():
        known = _ACTION_LABELS.get(action)
        if known is not None and known is not label:
            raise ImproperlyConfigured(f"audit action {action!r} is registered twice")
        _ACTION_LABELS[action] = label
    for key, label in getattr(actions_module, "DATA_LABELS", {}).items():
        known = _DATA_LABELS.get(key)
        if known is not None and str(known) != str(label):
            raise ImproperlyConfigured(f"audit data key {key!r} has two labels")
        _DATA_LABELS[key] = label
    for choices in getattr(actions_module, "VALUE_CHOICES", ()):
        if choices not in _VALUE_CHOICES:
            _VALUE_CHOICES.append(choices)


def registered_actions() -> dict[str, Any]:
    """Every registered action with its (lazy) label."""
    return dict(_ACTION_LABELS)


def data_label(key: str) -> str:
    return str(_DATA_LABELS.get(key, key.replace("_", " ")))


def is_known_data_key(key: str) -> bool:
    return key in _DATA_LABELS or key in HIDDEN_DATA_KEYS


def action_label(action: str) -> str:
    """A human, translated label for an audit action; the raw action when unknown."""
    return str(_ACTION_LABELS.get(action, action))


def _value_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for choices in _VALUE_CHOICES:
        labels.update({value: str(label) for value, label in choices.choices})
    return labels


def _field_label(model: type[models.Model] | None, name: str) -> str:
    """The verbose name of a model field; a reverse relation (e.g. a jury's ``criteria``)
    has none: its related model's plural name stands for it."""
    if model is not None:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            pass
        else:
            verbose = getattr(field, "verbose_name", None)
            if verbose is None and getattr(field, "related_model", None) is not None:
                verbose = field.related_model._meta.verbose_name_plural
            if verbose is not None:
                return str(verbose)
    return name.replace("_", " ")


def describe(entry: AuditLog) -> list[tuple[str, str]]:
    """The details of an entry as (label, value) pairs in the reader's language: state
    values and changed field names become their labels. Values are already masked."""
    data = entry.data if isinstance(entry.data, dict) else {}
    model = None
    if entry.content_type_id:
        model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
    values = _value_labels()
    details: list[tuple[str, str]] = []
    for key, value in data.items():
        if key in HIDDEN_DATA_KEYS:
            continue
        label = data_label(key)
        if key == "changed":
            names = value.keys() if isinstance(value, dict) else (value or [])
            text = ", ".join(_field_label(model, str(name)) for name in names)
        elif isinstance(value, bool):
            text = str(_("yes") if value else _("no"))
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            text = ", ".join(f"{k}: {v}" for k, v in value.items())
        elif value is None or value == "":
            continue
        else:
            text = values.get(str(value), str(value))
        if text:
            details.append((label, text))
    return details
