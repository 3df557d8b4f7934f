"""The conversation part of a campaign's coaching space: the messages (with their
attachment), the notification preference, the coach's private notes; and the attachment
download, for the people of the space only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tremplin.coaching import thread
from tremplin.coaching.forms import MessageForm, NoteForm, PreferenceForm
from tremplin.coaching.models import Attachment, CoachNote, Message
from tremplin.coaching.rules import can_read_notes
from tremplin.core.fields import parse_id


def _message(request, campaign, forms_):
    from tremplin.coaching.space_views import back

    form = forms_["message_form"] = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return None
    thread.post_message(
        campaign,
        user=request.user,
        body=form.cleaned_data["body"],
        attachment=form.cleaned_data["attachment"],
        attachment_name=getattr(form, "attachment_name", ""),
    )
    messages.success(request, _("Your message is sent."))
    return back(campaign, "#thread")


def _note(request, campaign, forms_):
    from tremplin.coaching.space_views import back

    form = forms_["note_form"] = NoteForm(request.POST)
    if not form.is_valid():
        return None
    thread.write_note(campaign, user=request.user, body=form.cleaned_data["note"])
    messages.success(request, _("Your private note is saved."))
    return back(campaign, "#notes")


def _preference(request, campaign, forms_):
    from tremplin.coaching.space_views import back

    form = forms_["preference_form"] = PreferenceForm(request.POST)
    if not form.is_valid():
        return None
    thread.set_preference(campaign, user=request.user, mode=form.cleaned_data["mode"])
    messages.success(request, _("Your e-mail preference is saved."))
    return back(campaign, "#thread")


HANDLERS = {"message": _message, "note": _note, "preference": _preference}


def context(request, campaign, forms_) -> dict:
    rows = list(
        Message.objects.filter(campaign=campaign)
        .select_related("author")
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )
    notes_visible = can_read_notes(request.user, campaign)
    return {
        "thread": rows,
        "message_form": forms_.get("message_form") or MessageForm(),
        "preference_form": forms_.get("preference_form")
        or PreferenceForm(initial={"mode": thread.mode_of(campaign, request.user)}),
        "notes_visible": notes_visible,
        "notes": list(CoachNote.objects.filter(campaign=campaign).select_related("author"))
        if notes_visible
        else [],
        "note_form": forms_.get("note_form") or NoteForm(),
    }


@login_required
@require_safe
def attachment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    from tremplin.coaching.space_views import space_campaign

    campaign = space_campaign(request, slug)
    item = get_object_or_404(Attachment, pk=parse_id(pk) or 0, message__campaign=campaign)
    if not default_storage.exists(item.file.name):
        raise Http404
    response = FileResponse(
        default_storage.open(item.file.name, "rb"),
        as_attachment=item.content_type == "application/pdf",
        filename=item.name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
