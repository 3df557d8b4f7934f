"""The coaching app's personal data, declared for the privacy registry (see
docs/privacy.md): plain data, so that coaching never imports privacy (which sits above it).

Who the rows are about: the maker of a campaign (its checklist, first circle, thread,
coach's notes, meetings), the coaches and the organiser's team (what they wrote; their
links as actors are emptied), the third parties a maker lists in their first circle
(found by their address), and everyone who registers to a workshop, with or without an
account (found by account and by address)."""

from django.utils.translation import gettext_lazy as _

MAKER = "campaign__application__maker"

PERSONAL_DATA = [
    {
        "model": "coaching.Workshop",
        "about": _("organiser teams and coaches"),
        "actors": ("created_by",),
        "exempt": {"address": "where the workshop takes place, not a person's address"},
        "erasure": "pseudonymise",
        "reason": _(
            "The programme's workshops stay; who scheduled one is emptied (the audit log "
            "keeps the pseudonym)"
        ),
        "export": "",
    },
    {
        # Custom: a place at a workshop still to come is cancelled first (the first person
        # waiting gets it, privacy.erasure), then every registration of the person goes.
        "model": "coaching.WorkshopRegistration",
        "about": _("people who register to a workshop"),
        "user": ("user",),
        "email": ("email",),
        "fields": ("name", "email"),
        "erasure": "custom",
        "retention": _("one year after the workshop for people without an account"),
        "export": (
            "id",
            "workshop__title",
            "workshop__starts_at",
            "name",
            "email",
            "state",
            "attended",
            "created_at",
            "cancelled_at",
        ),
    },
    {
        "model": "coaching.ChecklistTick",
        "about": _("laureates preparing their campaign"),
        "user": (MAKER,),
        "actors": ("ticked_by", "confirmed_by"),
        "erasure": "delete",
        "export": ("id", "campaign__title", "key", "ticked_at", "confirmed_at"),
    },
    {
        # Third parties: found by their own address too (their access and erasure rights),
        # and deleted with the maker's coaching data.
        "model": "coaching.FirstCircleContact",
        "about": _("people a maker lists in their first circle"),
        "user": (MAKER,),
        "email": ("email",),
        "fields": ("name", "relation", "email"),
        "erasure": "delete",
        "export": ("id", "campaign__title", "name", "relation", "email", "created_at"),
    },
    # The attachments before their messages: their files are deleted with them.
    {
        "model": "coaching.Attachment",
        "about": _("laureates and their coaches"),
        "user": ("message__author", f"message__{MAKER}"),
        "fields": ("name",),
        "files": ("file",),
        "exempt": {"message": "the message it is attached to (declared with the messages)"},
        "erasure": "delete",
        "export": ("id", "message_id", "name", "content_type", "file"),
    },
    {
        # A campaign's conversation is about its maker: it goes when the maker erases
        # their account; a coach's own messages go when the coach does.
        "model": "coaching.Message",
        "about": _("laureates and their coaches"),
        "user": ("author", MAKER),
        "fields": ("body", "body_html"),
        "erasure": "delete",
        "export": ("id", "campaign__title", "author__full_name", "kind", "body", "created_at"),
    },
    {
        # Private to the coach in the pages, but data about the maker: in the maker's
        # export (GDPR art. 15) and erased with them; the coach is only its author.
        "model": "coaching.CoachNote",
        "about": _("laureates (their coach's notes)"),
        "user": (MAKER,),
        "actors": ("author",),
        "fields": ("body",),
        "erasure": "delete",
        "export": ("id", "campaign__title", "body", "created_at"),
    },
    {
        "model": "coaching.ThreadPreference",
        "about": _("laureates and their coaches"),
        "user": ("user",),
        "erasure": "delete",
        "export": ("id", "campaign__title", "mode"),
    },
    {
        "model": "coaching.MeetingSlot",
        "about": _("laureates and their coaches"),
        "user": ("booked_by",),
        "actors": ("coach",),
        "exempt": {"notes": "the meeting's notes: a message, declared with the messages"},
        "erasure": "delete",
        "export": (
            "id",
            "campaign__title",
            "starts_at",
            "duration_minutes",
            "place",
            "booked_at",
            "cancelled_at",
        ),
    },
]
