"""The maker's video page (upload, captions, transcript) and the files the public page's
player reads (the uploaded video and its captions)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tremplin.campaigns.models import Campaign
from tremplin.kit import rules, video
from tremplin.kit.errors import KitError
from tremplin.kit.video_forms import VideoForm


def _my_campaign(request: HttpRequest, slug: str) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.select_related("programme__organiser", "application"), slug=slug
    )
    if not rules.can_edit_video(request.user, campaign):
        raise Http404
    return campaign


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def video_page(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _my_campaign(request, slug)
    status = 200
    if request.method == "POST":
        form = VideoForm(request.POST, request.FILES, campaign=campaign)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data.get("video_file"):
                    campaign = video.set_video_file(
                        campaign, by=request.user, upload=data["video_file"], kind=form.video_kind
                    )
                elif data.get("remove_video"):
                    campaign = video.set_video_file(campaign, by=request.user, upload=None)
                campaign = video.set_captions(
                    campaign,
                    by=request.user,
                    webvtt=form.webvtt
                    if form.webvtt is not None
                    else (b"" if data["remove_captions"] else None),
                    transcript=data["transcript"],
                    from_transcript=data["make_captions"],
                    duration=form.video_duration or video.uploaded_duration(campaign),
                )
            except KitError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The video and its captions are saved."))
                return redirect("kit:video_page", slug=campaign.slug)
        status = 400
    else:
        form = VideoForm(campaign=campaign)
    context = {
        "campaign": campaign,
        "programme": campaign.programme,
        "form": form,
        "status": video.video_status(campaign),
        "can_change_file": video.can_change_video_file(campaign),
    }
    return render(request, "kit/video_page.html", context, status=status)


def _watchable(request: HttpRequest, slug: str) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.select_related("programme", "application"), slug=slug
    )
    if not (video.is_public(campaign) or rules.can_watch_before_public(request.user, campaign)):
        raise Http404
    return campaign


def _serve(field, content_type: str) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=300"
    return response


_RANGE = re.compile(r"^bytes=(\d{0,15})-(\d{0,15})$")


def _ranged(request: HttpRequest, field, content_type: str) -> HttpResponse:
    """The file, or the one byte range asked for (``Range: bytes=a-b``, 206): players seek
    with ranges, and some (Safari) play nothing without them."""
    if not field:
        raise Http404
    match = _RANGE.match(request.headers.get("Range", "").strip())
    if match is None or match.groups() == ("", ""):
        response = _serve(field, content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    try:
        size = field.size
        handle = field.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    first, last = match.groups()
    if first == "":  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    with handle:
        handle.seek(start)
        body = handle.read(end - start + 1)
    response = HttpResponse(body, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def video_file(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _watchable(request, slug)
    name = campaign.video_file.name if campaign.video_file else ""
    kind = "webm" if name.endswith(".webm") else "mp4"
    return _ranged(request, campaign.video_file, video.VIDEO_TYPES[kind])


@require_safe
def captions_file(request: HttpRequest, slug: str) -> FileResponse:
    campaign = _watchable(request, slug)
    return _serve(campaign.video_captions, "text/vtt; charset=utf-8")
