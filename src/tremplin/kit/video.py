"""The campaign's one-minute video in the kit: the uploaded file, its captions.

A video (a link or an uploaded file) goes in the communication kit only with captions: a
WebVTT file the maker uploads, or one made from the transcript they type
(``kit.captions``). The public page plays an uploaded video in a ``<video>`` element with
its ``<track kind="captions">``; a linked video shows its captions and transcript beside
the player.

The verbs lock the campaign row, write the video fields only (``updated_at`` moves with
them, so the cached public page changes at once) and write the audit log."""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.campaigns.enums import PUBLIC_STATES
from tremplin.campaigns.models import Campaign
from tremplin.campaigns.page import page_is_editable
from tremplin.core.audit import log_action
from tremplin.kit import actions, captions, ffmpeg
from tremplin.kit.errors import KitError

MAX_VIDEO_BYTES = 40 * 1024 * 1024  # fits in the default MAX_REQUEST_BODY (52 MB)
MAX_VIDEO_SECONDS = 180  # "one minute", with room
VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}


class VideoError(KitError):
    pass


def video_kind(data: bytes) -> str | None:
    """ "mp4" or "webm" from the file's first bytes (not its name), else None."""
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return "mp4"
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    return None


def check_video(upload: UploadedFile) -> tuple[str, float | None]:
    """The kind and duration of an uploaded video, or :class:`VideoError`: an MP4 or WebM
    file (by content), at most 40 MB, that ffmpeg reads as a video of at most 3 minutes."""
    if upload.size is not None and upload.size > MAX_VIDEO_BYTES:
        raise VideoError(
            _("The video is too large (at most %(max)s MB).") % {"max": MAX_VIDEO_BYTES // 2**20},
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    kind = video_kind(head)
    if kind is None:
        raise VideoError(
            _("Upload an MP4 or WebM video: this file is not one."), code="invalid_video"
        )
    with tempfile.NamedTemporaryFile(suffix=f".{kind}") as copy:
        upload.seek(0)
        size = 0
        for chunk in upload.chunks():
            size += len(chunk)
            if size > MAX_VIDEO_BYTES:
                raise VideoError(
                    _("The video is too large (at most %(max)s MB).")
                    % {"max": MAX_VIDEO_BYTES // 2**20},
                    code="file_too_large",
                )
            copy.write(chunk)
        copy.flush()
        info = ffmpeg.probe(copy.name)
    upload.seek(0)
    if not info.has_video or info.duration is None:
        raise VideoError(
            _("This file could not be read as a video: it may be damaged."),
            code="invalid_video",
        )
    if info.duration > MAX_VIDEO_SECONDS:
        raise VideoError(
            _("The video lasts %(seconds)s seconds: at most %(max)s are accepted.")
            % {"seconds": round(info.duration), "max": MAX_VIDEO_SECONDS},
            code="video_too_long",
        )
    return kind, info.duration


@dataclass(frozen=True)
class VideoStatus:
    has_video: bool
    has_captions: bool

    @property
    def in_kit(self) -> bool:
        """The video may go in the kit: it has captions."""
        return self.has_video and self.has_captions


def video_status(campaign: Campaign) -> VideoStatus:
    return VideoStatus(
        has_video=bool(campaign.video_url or campaign.video_file),
        has_captions=bool(campaign.video_captions),
    )


def require_video_for_kit(campaign: Campaign) -> None:
    """Refuse (:class:`VideoError`) a video without captions: the kit's makers call this
    before they put the video in the kit."""
    status = video_status(campaign)
    if not status.has_video:
        raise VideoError(_("This campaign has no video."), code="no_video")
    if not status.has_captions:
        raise VideoError(
            _("The video needs captions before it goes in the kit."), code="no_captions"
        )


def can_change_video_file(campaign: Campaign) -> bool:
    """The video itself changes when the page may (before review, or live); captions may
    be added or corrected at any time."""
    return page_is_editable(campaign)


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


@transaction.atomic
def set_video_file(
    campaign: Campaign, *, by, upload: UploadedFile | None, kind: str = ""
) -> Campaign:
    """Replace (``upload``) or remove (``None``) the uploaded video. ``kind`` comes from
    :func:`check_video`, which the caller ran on ``upload``."""
    locked = _locked(campaign)
    if not can_change_video_file(locked):
        raise VideoError(
            _("The video cannot change now: the page is being reviewed or the campaign is over."),
            code="locked",
        )
    old = locked.video_file.name if locked.video_file else ""
    if upload is None:
        if not old:
            return locked
        locked.video_file = ""
    else:
        if kind not in VIDEO_TYPES:
            raise VideoError(_("Upload an MP4 or WebM video."), code="invalid_video")
        upload.seek(0)
        locked.video_file.save(f"{uuid.uuid4().hex}.{kind}", upload, save=False)
    locked.save(update_fields=["video_file", "updated_at"])
    log_action(
        actions.KIT_VIDEO_CHANGED,
        obj=locked,
        user=by,
        data={
            "video": actions.VideoChange.VIDEO_REMOVED
            if upload is None
            else actions.VideoChange.VIDEO_UPLOADED
        },
    )
    transaction.on_commit(lambda: _delete_file(locked.video_file.storage, old))
    return locked


@transaction.atomic
def set_captions(
    campaign: Campaign,
    *,
    by,
    webvtt: bytes | None = None,
    transcript: str | None = None,
    from_transcript: bool = False,
    duration: float | None = None,
) -> Campaign:
    """Store the captions: from a WebVTT file (``webvtt``, parsed strictly and written out
    again) or made from the ``transcript`` (``from_transcript``; spread over the uploaded
    video's ``duration`` when known). ``transcript`` alone only saves the transcript.
    ``webvtt=b""`` with nothing else removes the captions."""
    if webvtt and from_transcript:
        raise captions.CaptionsError(
            _("Upload a captions file or make them from the transcript, not both."),
            code="both",
        )
    locked = _locked(campaign)
    fields = []
    source = ""
    if transcript is not None and transcript != locked.video_transcript:
        if len(transcript) > captions.MAX_TRANSCRIPT_CHARS:
            raise captions.CaptionsError(
                _("The transcript is too long."), code="invalid_transcript"
            )
        if "\x00" in transcript:
            raise captions.CaptionsError(
                _("The transcript contains a control character (such as a NUL byte)."),
                code="invalid_transcript",
            )
        locked.video_transcript = transcript
        fields.append("video_transcript")
    text = None
    if webvtt:
        text = captions.to_webvtt(captions.parse_webvtt(webvtt))
        source = actions.VideoChange.CAPTIONS_FILE
    elif from_transcript:
        text = captions.transcript_to_webvtt(locked.video_transcript, duration)
        source = actions.VideoChange.CAPTIONS_TRANSCRIPT
    old = locked.video_captions.name if locked.video_captions else ""
    if text is not None:
        locked.video_captions.save(
            f"{uuid.uuid4().hex}.vtt", ContentFile(text.encode("utf-8")), save=False
        )
        fields.append("video_captions")
    elif webvtt == b"" and old:
        locked.video_captions = ""
        fields.append("video_captions")
        source = actions.VideoChange.CAPTIONS_REMOVED
    if not fields:
        return locked
    locked.save(update_fields=[*fields, "updated_at"])
    data = {}
    if "video_captions" in fields:
        data["captions_source"] = source
        transaction.on_commit(lambda: _delete_file(locked.video_captions.storage, old))
    if "video_transcript" in fields:
        data["transcript"] = actions.VideoChange.TRANSCRIPT_CHANGED
    log_action(actions.KIT_CAPTIONS_CHANGED, obj=locked, user=by, data=data)
    return locked


def _delete_file(storage, name: str) -> None:
    if name:
        with contextlib.suppress(OSError):
            storage.delete(name)


def uploaded_duration(campaign: Campaign) -> float | None:
    """The uploaded video's duration (ffmpeg), None without one or without ffmpeg."""
    if not campaign.video_file:
        return None
    try:
        return ffmpeg.probe(Path(campaign.video_file.path)).duration
    except (KitError, OSError, NotImplementedError):
        # ffmpeg missing, the file unreadable, or a remote storage that has no local
        # path: the duration is unknown, which is not an error.
        return None


def is_public(campaign: Campaign) -> bool:
    return campaign.state in PUBLIC_STATES
