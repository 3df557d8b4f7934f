"""The coaching conversation of a campaign (maker, coach, organiser): messages written in
a small Markdown, stored with their sanitised HTML (nh3, ``campaigns.sanitize``), an
attachment checked like every upload (``core.uploads``: images re-encoded, PDFs read), the
e-mail notifications (one per message, or a daily digest, or none) and the coach's private
notes, which the maker never sees."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.models import Campaign
from tremplin.campaigns.sanitize import sanitize_html
from tremplin.coaching import actions, mails
from tremplin.coaching.enums import MessageKind, NotificationMode
from tremplin.coaching.errors import CoachingError, refuse
from tremplin.coaching.models import Attachment, CoachNote, Message, ThreadPreference
from tremplin.coaching.rules import can_read_notes, can_see_space, can_write_thread
from tremplin.core.audit import log_action
from tremplin.core.models import OrganiserMembership
from tremplin.core.uploads import clean_image, clean_pdf, image_content_type

MAX_BODY = 10000
DIGEST_EVERY = timedelta(days=1)

# --- Markdown (a small, safe subset) -------------------------------------------------------

_LINK = re.compile(r"\[([^\]\n]{1,200})\]\((https?://[^\s)]{1,500})\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")


def _inline(text: str) -> str:
    text = _LINK.sub(r'<a href="\2">\1</a>', text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _EM.sub(r"<em>\1</em>", text)


def render_markdown(source: str) -> str:
    """Paragraphs, line breaks, ``**bold**``, ``*emphasis*``, ``[links](https://…)``,
    ``- lists``, ``1. lists``, ``## headings`` and ``> quotes``; everything else is text.
    The HTML is escaped first, then sanitised with nh3 (the campaign pages' allow-list)."""
    blocks = re.split(r"\n\s*\n", html.escape(source.replace("\r\n", "\n"), quote=False))
    out = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_BULLET.match(x).group(1))}</li>" for x in lines)
            out.append(f"<ul>{items}</ul>")
        elif all(_NUMBER.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_NUMBER.match(x).group(1))}</li>" for x in lines)
            out.append(f"<ol>{items}</ol>")
        elif len(lines) == 1 and lines[0].startswith("#"):
            out.append(f"<h3>{_inline(lines[0].lstrip('#').strip())}</h3>")
        elif all(line.startswith("&gt;") for line in lines):
            inner = "<br>".join(_inline(line[4:].strip()) for line in lines)
            out.append(f"<blockquote><p>{inner}</p></blockquote>")
        else:
            out.append("<p>" + "<br>".join(_inline(line) for line in lines) + "</p>")
    return sanitize_html("".join(out))


# --- messages --------------------------------------------------------------------------------


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CoachingError(_("Write a message."), code="empty")
    if len(body) > MAX_BODY:
        raise CoachingError(
            _("The message is too long (%(max)s characters at most).") % {"max": MAX_BODY},
            code="too_long",
        )
    return body


def clean_attachment(upload):
    """A PDF (read by pypdf) or an image (re-encoded without its metadata), by content."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return clean_pdf(upload), "application/pdf"
    try:
        cleaned = clean_image(upload)
    except ValidationError:
        raise ValidationError(
            _("Attach a PDF document or a JPEG, PNG or WebP image."), code="attachment"
        ) from None
    return cleaned, image_content_type(cleaned.name)


def space_path(campaign: Campaign) -> str:
    return reverse("coaching:campaign", args=[campaign.slug])


def post_message(
    campaign: Campaign,
    *,
    user,
    body: str,
    attachment=None,
    attachment_name: str = "",
    kind: str = MessageKind.MESSAGE,
) -> Message:
    """``attachment``: what ``clean_attachment`` returned, or None."""
    if not can_write_thread(user, campaign):
        raise refuse()
    body = _clean_body(body)
    with transaction.atomic():
        message = Message.objects.create(
            campaign=campaign, author=user, kind=kind, body=body, body_html=render_markdown(body)
        )
        if attachment is not None:
            content, content_type = attachment
            item = Attachment(
                message=message,
                name=(attachment_name or content.name)[:200],
                content_type=content_type,
            )
            item.file.save(content.name, content, save=False)
            item.save()
        log_action(actions.THREAD_MESSAGE, obj=campaign, user=user, data={"kind": kind})
        _notify(campaign, message)
    return message


def participants(campaign: Campaign) -> list:
    """The maker, the coach, the organiser's members who posted or chose a notification
    mode: the people a message is for."""
    people = {campaign.maker.pk: campaign.maker}
    if campaign.coach is not None:
        people[campaign.coach.pk] = campaign.coach
    members = OrganiserMembership.objects.filter(
        organiser_id=campaign.programme.organiser_id
    ).select_related("user")
    posted = set(Message.objects.filter(campaign=campaign).values_list("author_id", flat=True))
    chose = set(
        ThreadPreference.objects.filter(campaign=campaign).values_list("user_id", flat=True)
    )
    for membership in members:
        if membership.user_id in posted | chose:
            people[membership.user_id] = membership.user
    return list(people.values())


def mode_of(campaign: Campaign, user) -> str:
    found = ThreadPreference.objects.filter(campaign=campaign, user=user).first()
    return found.mode if found else NotificationMode.IMMEDIATE


def _notify(campaign: Campaign, message: Message) -> None:
    for person in participants(campaign):
        if person.pk == message.author_id or not person.is_active:
            continue
        if mode_of(campaign, person) != NotificationMode.IMMEDIATE:
            continue
        mails.notify(
            "message",
            person.email,
            person.language,
            name=person.get_short_name(),
            author=str(message.author),
            title=campaign.title,
            body=message.body,
            space_path=space_path(campaign),
        )


def set_preference(campaign: Campaign, *, user, mode: str) -> ThreadPreference:
    if not can_see_space(user, campaign):
        raise refuse()
    if mode not in NotificationMode.values:
        raise CoachingError(_("Choose how you want to be told."), code="mode")
    with transaction.atomic():
        preference, _created = ThreadPreference.objects.update_or_create(
            campaign=campaign,
            user=user,
            defaults={"mode": mode, "digested_until": timezone.now()},
        )
    return preference


# --- the daily digest (tremplin coaching-reminders) -------------------------------------------


def send_digests(now: datetime | None = None) -> int:
    """For each person who chose the digest: the messages of others since their last
    digest, at most once a day; the row is claimed by a conditional UPDATE of
    ``digested_until``, so two workers never send the same digest."""
    now = now or timezone.now()
    sent = 0
    due = ThreadPreference.objects.filter(
        mode=NotificationMode.DIGEST, digested_until__lte=now - DIGEST_EVERY
    ).select_related("campaign__programme", "user")
    for preference in due:
        since = preference.digested_until
        messages = list(
            Message.objects.filter(
                campaign=preference.campaign, created_at__gt=since, created_at__lte=now
            )
            .exclude(author=preference.user)
            .select_related("author")
            .order_by("created_at", "pk")
        )
        with transaction.atomic():
            claimed = ThreadPreference.objects.filter(
                pk=preference.pk, digested_until=since
            ).update(digested_until=now)
            if claimed != 1 or not messages:
                continue
            mails.notify(
                "digest",
                preference.user.email,
                preference.user.language,
                title=preference.campaign.title,
                count=len(messages),
                items=[{"author": str(m.author), "body": m.body} for m in messages],
                space_path=space_path(preference.campaign),
            )
            sent += 1
    return sent


# --- private notes ----------------------------------------------------------------------------


def write_note(campaign: Campaign, *, user, body: str) -> CoachNote:
    if not can_read_notes(user, campaign):
        raise refuse()
    body = _clean_body(body)
    with transaction.atomic():
        note = CoachNote.objects.create(campaign=campaign, author=user, body=body)
        log_action(actions.COACH_NOTE, obj=campaign, user=user)
    return note
