"""The registry of personal data: every model that holds data about a person is declared
once, here (the apps below privacy) or in its own app's ``personal_data.py`` (the apps
added later), and the export, the erasure, the retention job and the record of processing
all read it. ``tests/privacy/test_coverage.py`` fails when a model of INSTALLED_APPS that
looks personal (a link to the user, an e-mail field, a field named like name, phone,
address, message…) is neither declared nor listed as not personal with a reason.

A declaration (``PersonalData``, or the same keys as a plain dict in
``<app>/personal_data.py``: ``PERSONAL_DATA = [{...}]``, ``NOT_PERSONAL = {label: why}``,
so that a lower app declares without importing privacy):

* ``model``: ``"app_label.ModelName"``;
* ``user``: lookups from the model to the person's account (``"maker"``,
  ``"application__maker"``); ``email``: lookups to an e-mail address that identifies the
  person without an account (``"email"``);
* ``fields``: the personal fields (erased by ``pseudonymise``; exported);
* ``files``: file fields (exported into the ZIP, deleted with the row);
* ``actors``: user links that record who did something (``screened_by``): set to NULL on
  erasure (the audit log keeps the pseudonym), never exported;
* ``exempt``: fields that look personal but are not about the person, and why;
* ``erasure``: ``delete`` (the person's rows go), ``pseudonymise`` (the row stays, its
  personal fields are blanked, its user link emptied) or ``keep`` (kept as is for a legal
  reason, ``reason`` says which, ``retention`` until when); ``custom`` erasures are done
  by name in ``privacy.erasure`` (``CUSTOM``);
* ``export``: the columns of the export (default: ``id`` and ``fields``), ``""`` for none;
* ``about``: who the rows are about (for the record of processing).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

DELETE, PSEUDONYMISE, KEEP, CUSTOM = "delete", "pseudonymise", "keep", "custom"
ERASURES = (DELETE, PSEUDONYMISE, KEEP, CUSTOM)

# Field names that look personal (exact, or as the suffix ``_<name>``).
PERSONAL_NAMES = (
    "name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "ip",
    "message",
    "body",
    "comment",
    "note",
    "notes",
)


@dataclass(frozen=True)
class PersonalData:
    model: str
    about: str
    erasure: str
    user: tuple[str, ...] = ()
    email: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    exempt: dict[str, str] = field(default_factory=dict)
    export: tuple[str, ...] | None = None
    reason: str = ""
    retention: str = ""

    def __post_init__(self) -> None:
        for name in ("user", "email", "fields", "files", "actors"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, (value,) if value else ())
            else:
                object.__setattr__(self, name, tuple(value))
        if self.export == "":
            object.__setattr__(self, "export", ())
        elif self.export is not None:
            object.__setattr__(self, "export", tuple(self.export))
        if self.erasure not in ERASURES:
            raise ValueError(f"{self.model}: erasure {self.erasure!r} not in {ERASURES}")
        if self.erasure in (KEEP, PSEUDONYMISE) and not self.reason:
            raise ValueError(f"{self.model}: a kept row needs its legal reason")

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def columns(self) -> tuple[str, ...]:
        if self.export is not None:
            return self.export
        return ("id", *self.fields, *self.files)


ACCOUNTING = _("Accounting records: kept ten years (Code de commerce, art. L123-22)")
TALLY = _("A published jury's tally must stay re-computable from its ballots")
RECORD = _("Public bodies must be able to account for their decisions (the audit log)")
LAUREATE = _(
    "Laureates' applications are records of the use of public money, kept ten years after "
    "the programme"
)

DECLARATIONS: list[PersonalData] = [
    # -- accounts (core, allauth, Django) --------------------------------------------
    PersonalData(
        "core.User",
        about=_("account holders"),
        erasure=CUSTOM,
        user=("pk",),
        fields=("email", "full_name", "password", "last_login"),
        export=("id", "email", "full_name", "language", "date_joined", "last_login", "is_coach"),
    ),
    PersonalData(
        "account.EmailAddress",
        about=_("account holders"),
        erasure=DELETE,
        user=("user",),
        fields=("email",),
        export=("email", "verified", "primary"),
    ),
    PersonalData(
        "account.EmailConfirmation",
        about=_("account holders"),
        erasure=DELETE,
        user=("email_address__user",),
        fields=("email_address",),
        export=("created", "sent"),
    ),
    PersonalData(
        "django_tasks_database.DBTaskResult",
        about=_("everyone the platform e-mails"),
        erasure=CUSTOM,
        exempt={
            "queue_name": "a queue's name",
            "backend_name": "a backend's name",
        },
        fields=("args_kwargs",),
        retention=_("finished tasks: 30 days (prune_db_task_results)"),
        export="",
    ),
    PersonalData(
        "mfa.Authenticator",
        about=_("platform staff"),
        erasure=DELETE,
        user=("user",),
        fields=("data",),
        export=("type", "created_at", "last_used_at"),
    ),
    PersonalData(
        "admin.LogEntry",
        about=_("platform staff"),
        erasure=DELETE,
        user=("user",),
        fields=("object_repr", "change_message"),
        export=("action_time", "object_repr", "action_flag"),
    ),
    PersonalData(
        "core.OrganiserMembership",
        about=_("organiser teams"),
        erasure=DELETE,
        user=("user",),
        export=("organiser__name", "role", "created_at"),
    ),
    PersonalData(
        "core.PartnerMembership",
        about=_("partner members"),
        erasure=DELETE,
        user=("user",),
        export=("partner__name", "partner__organiser__name", "created_at"),
    ),
    PersonalData(
        "core.AuditLog",
        about=_("everyone who changes something"),
        erasure=CUSTOM,
        user=("user",),
        reason=RECORD,
        export=("created_at", "action", "organiser__name", "object_id"),
    ),
    # -- calls ------------------------------------------------------------------------
    PersonalData(
        "calls.Application",
        about=_("makers who apply"),
        erasure=CUSTOM,
        user=("maker",),
        actors=("screened_by",),
        fields=(
            "title",
            "summary",
            "description",
            "commune",
            "maker_profile",
            "maker_name",
            "maker_phone",
            "video_url",
            "eligibility_reason",
        ),
        export=(
            "id",
            "programme__name",
            "state",
            "eligibility",
            "title",
            "summary",
            "description",
            "category",
            "commune",
            "maker_profile",
            "maker_name",
            "maker_phone",
            "funding_goal",
            "budget",
            "video_url",
            "submitted_at",
            "withdrawn_at",
            "created_at",
        ),
        reason=LAUREATE,
    ),
    PersonalData(
        "calls.ApplicationImage",
        about=_("makers who apply"),
        erasure=CUSTOM,
        user=("application__maker",),
        fields=("alt_text",),
        files=("image",),
        reason=_("Deleted with their application, kept with a laureate's"),
        export=("id", "application_id", "alt_text", "image"),
    ),
    PersonalData(
        "calls.Answer",
        about=_("makers who apply"),
        erasure=CUSTOM,
        user=("application__maker",),
        fields=("value",),
        files=("file",),
        reason=_("Deleted with their application, kept with a laureate's"),
        export=("id", "application_id", "question__label_fr", "value", "file"),
    ),
    # -- jury ---------------------------------------------------------------------------
    PersonalData(
        "jury.JuryMember",
        about=_("jurors"),
        erasure=CUSTOM,
        user=("user",),
        actors=("invited_by",),
        reason=TALLY,
        export=("id", "jury__programme__name", "partner__name", "invited_at", "accepted_at"),
    ),
    PersonalData(
        "jury.Ballot",
        about=_("jurors"),
        erasure=PSEUDONYMISE,
        user=("member__user", "submitted_by"),
        actors=("submitted_by",),
        reason=TALLY,
        export=("id", "jury__programme__name", "partner__name", "state", "submitted_at"),
    ),
    PersonalData(
        "jury.Recusal",
        about=_("jurors"),
        erasure=PSEUDONYMISE,
        user=("declared_by",),
        actors=("declared_by",),
        fields=("reason",),
        reason=TALLY,
        export=("id", "ballot_id", "application__title", "reason", "created_at"),
    ),
    PersonalData(
        "jury.Decision",
        about=_("makers who apply"),
        erasure=KEEP,
        user=("application__maker",),
        actors=("decided_by",),
        fields=("feedback",),
        exempt={"override_reason": "the organiser's reason, about the tally, not the maker"},
        reason=LAUREATE,
        retention=_("as long as the application"),
        export=("application_id", "outcome", "feedback", "decided_at"),
    ),
    # -- campaigns ----------------------------------------------------------------------
    PersonalData(
        "campaigns.Campaign",
        about=_("laureates"),
        erasure=KEEP,
        user=("application__maker",),
        actors=("coach",),
        reason=LAUREATE,
        retention=_("as long as its contributions (accounting)"),
        export=("id", "slug", "title", "pitch", "state", "goal", "raised_amount", "ends_at"),
    ),
    PersonalData(
        "campaigns.CampaignUpdate",
        about=_("laureates"),
        erasure=PSEUDONYMISE,
        user=("author",),
        actors=("author",),
        exempt={"body": "the project's public news, not about its author"},
        reason=LAUREATE,
        export=("id", "campaign__title", "title", "body", "published_at"),
    ),
    PersonalData(
        "campaigns.Comment",
        about=_("people who comment"),
        erasure=CUSTOM,
        user=("author",),
        actors=("moderated_by",),
        fields=("author_name", "body"),
        export=("id", "campaign__title", "author_name", "body", "state", "created_at"),
    ),
    PersonalData(
        "campaigns.CommentReport",
        about=_("people who report a comment"),
        erasure=CUSTOM,
        user=("user",),
        exempt={"comment": "the comment reported, someone else's"},
        export=("id", "comment_id", "created_at"),
    ),
    PersonalData(
        "campaigns.ReviewNote",
        about=_("laureates and coaches"),
        erasure=PSEUDONYMISE,
        user=("author",),
        actors=("author",),
        fields=("body",),
        reason=LAUREATE,
        export=("id", "campaign__title", "kind", "body", "created_at"),
    ),
    # -- funding, payments ------------------------------------------------------------
    PersonalData(
        "funding.Contribution",
        about=_("contributors"),
        erasure=PSEUDONYMISE,
        user=("user",),
        email=("email",),
        actors=("recorded_by",),
        exempt={"hide_name": "a choice, not a name"},
        fields=(
            "name",
            "email",
            "address",
            "postal_code",
            "city",
            "message",
            "attribution",
            "offline_reference",
        ),
        reason=ACCOUNTING,
        retention=_("ten years after the campaign closed"),
        export=(
            "id",
            "campaign__title",
            "amount",
            "state",
            "source",
            "reward__title",
            "name",
            "email",
            "address",
            "postal_code",
            "city",
            "country",
            "hide_name",
            "hide_amount",
            "message",
            "news_consent",
            "created_at",
            "confirmed_at",
            "refunded_at",
        ),
    ),
    PersonalData(
        "payments.Payment",
        about=_("contributors"),
        erasure=KEEP,
        user=("contribution__user",),
        email=("contribution__email",),
        reason=ACCOUNTING,
        retention=_("ten years"),
        export=(
            "id",
            "contribution_id",
            "provider",
            "amount",
            "state",
            "created_at",
            "confirmed_at",
        ),
    ),
    PersonalData(
        "payments.Refund",
        about=_("contributors"),
        erasure=KEEP,
        user=("payment__contribution__user",),
        email=("payment__contribution__email",),
        actors=("recorded_by",),
        reason=ACCOUNTING,
        retention=_("ten years"),
        export=("id", "payment_id", "amount", "state", "done_at"),
    ),
    # -- privacy itself -------------------------------------------------------------------
    PersonalData(
        "privacy.DataExport",
        about=_("people who ask for their data"),
        erasure=DELETE,
        user=("user",),
        email=("email",),
        fields=("email",),
        files=("file",),
        export="",
    ),
    PersonalData(
        "privacy.AccountWarning",
        about=_("account holders"),
        erasure=DELETE,
        user=("user",),
        export=("sent_at", "deletion_due"),
    ),
    PersonalData(
        "privacy.ErasureNotice",
        about=_("organiser teams"),
        erasure=PSEUDONYMISE,
        actors=("acknowledged_by",),
        reason=RECORD,
        export="",
    ),
    PersonalData(
        "privacy.ProgrammeRetention",
        about=_("organiser teams"),
        erasure=PSEUDONYMISE,
        actors=("updated_by",),
        reason=RECORD,
        export="",
    ),
]

# Models that look personal to the coverage test but hold nothing about a person.
NOT_PERSONAL: dict[str, str] = {
    "auth.Permission": "a permission's name",
    "auth.Group": "a group's name",
    "core.Organiser": "an authority's name",
    "core.Partner": "a partner organisation's name",
    "calls.Programme": "a programme's name",
    "funding.MatchfundingPot": "the funder is an authority",
    "sandbox.SandboxWebhook": "the simulated provider's webhook body: ids and amounts only",
}


def _from_app(config) -> tuple[list[PersonalData], dict[str, str]]:
    try:
        module = importlib.import_module(f"{config.name}.personal_data")
    except ModuleNotFoundError as error:
        if error.name != f"{config.name}.personal_data":
            raise
        return [], {}
    found = []
    for item in getattr(module, "PERSONAL_DATA", ()):
        found.append(item if isinstance(item, PersonalData) else PersonalData(**item))
    return found, dict(getattr(module, "NOT_PERSONAL", {}))


@cache
def _collected() -> tuple[dict[str, PersonalData], dict[str, str]]:
    declarations = {d.model.lower(): d for d in DECLARATIONS}
    not_personal = {k.lower(): v for k, v in NOT_PERSONAL.items()}
    for config in apps.get_app_configs():
        found, excluded = _from_app(config)
        for declaration in found:
            key = declaration.model.lower()
            if key in declarations:
                raise ValueError(f"{declaration.model} is declared twice")
            declarations[key] = declaration
        not_personal.update({k.lower(): v for k, v in excluded.items()})
    return declarations, not_personal


def declarations() -> list[PersonalData]:
    return list(_collected()[0].values())


def declaration_of(model: type[models.Model]) -> PersonalData | None:
    return _collected()[0].get(model._meta.label_lower)


def not_personal() -> dict[str, str]:
    return dict(_collected()[1])


def looks_personal(f) -> bool:
    """A field the coverage test asks about."""
    from django.conf import settings

    if f.is_relation and f.many_to_one or (f.is_relation and f.one_to_one):
        related = f.related_model
        if related is not None and related._meta.label == settings.AUTH_USER_MODEL:
            return True
    if isinstance(f, models.EmailField):
        return True
    name = f.name
    return name in PERSONAL_NAMES or any(name.endswith("_" + n) for n in PERSONAL_NAMES)


def personal_fields_of(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False) and not f.auto_created and looks_personal(f)
    ]


def undeclared_models() -> list[str]:
    """Models of INSTALLED_APPS that look personal and are neither declared nor listed as
    not personal (what the coverage test reports)."""
    excluded = not_personal()
    missing = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = personal_fields_of(model)
        if not fields or model._meta.label_lower in excluded:
            continue
        if declaration_of(model) is None:
            missing.append(f"{model._meta.label} ({', '.join(fields)})")
    return missing
