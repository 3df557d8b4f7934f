"""The kit's personal data, declared for the privacy registry (see docs/privacy.md): plain
data, so that kit never imports privacy (which sits above it).

A kit's posters, visuals and texts carry the maker's name and the project's photo: they
are the maker's data. The campaign itself is kept (records of public money) but its kit is
a derived product the organiser can generate again: its items and their files go when the
maker erases their account; the people who released a version or edited a text are only
actors. A partner's relay marks are the partner organisation's record; the member who
marked one may export their marks and is emptied from them on erasure."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MAKER = "version__campaign__application__maker"

PERSONAL_DATA = [
    {
        "model": "kit.KitVersion",
        "about": _("organiser teams"),
        "actors": ("released_by",),
        "erasure": "pseudonymise",
        "reason": _(
            "A campaign's kit versions stay (their items go with the maker's data); who "
            "released one is emptied (the audit log keeps the pseudonym)"
        ),
        "export": "",
    },
    {
        "model": "kit.KitItem",
        "about": _("laureates (their communication kit)"),
        "user": (MAKER,),
        "actors": ("edited_by",),
        "fields": ("body", "alt_text"),
        "files": ("file",),
        "erasure": "delete",
        "export": (
            "id",
            "version__campaign__title",
            "version__number",
            "kind",
            "language",
            "label",
            "body",
            "file",
        ),
    },
    # A partner's relay (kit/relay.py): about the partner organisation's communication; the
    # member who marked it is recorded (set to NULL on erasure) and may export their marks.
    {
        "model": "kit.RelayMark",
        "about": _("members of partner organisations"),
        "erasure": "pseudonymise",
        "user": ("created_by",),
        "actors": ("created_by",),
        "reason": _("the partners' record of the campaigns they relayed"),
        "export": ("id", "partner__name", "campaign__title", "relayed_on", "place", "detail"),
    },
]

NOT_PERSONAL = {
    "kit.PosterFormat": "a print format's name (e.g. “Bus shelter”): no person in it",
}
