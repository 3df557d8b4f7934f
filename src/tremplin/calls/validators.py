"""Validation of the video link of an application.

Only https links to a known video host are accepted: YouTube, Vimeo, Dailymotion and any
PeerTube instance. ``parse_video_url`` returns ``(provider, video_id)`` so a later page can
embed the video privately (``embed_url``); for PeerTube the id carries the instance host
(``"videos.example.org/9c9de5e8-0a1e-484a-b099-e80766180a6d"``)."""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_VIDEO_URL_LENGTH = 300

YOUTUBE = "youtube"
VIMEO = "vimeo"
DAILYMOTION = "dailymotion"
PEERTUBE = "peertube"

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")
_DAILYMOTION_ID = re.compile(r"^[A-Za-z0-9]{3,32}$")
_PEERTUBE_SHORT_ID = re.compile(r"^[A-Za-z0-9]{6,40}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com"}
_DAILYMOTION_HOSTS = {"dailymotion.com", "www.dailymotion.com"}

INVALID_MESSAGE = _(
    "Enter an https link to a video on YouTube, Vimeo, Dailymotion or PeerTube, "
    "for example https://www.youtube.com/watch?v=dQw4w9WgXcQ."
)


class VideoRef(NamedTuple):
    provider: str
    video_id: str


def _invalid() -> ValidationError:
    return ValidationError(INVALID_MESSAGE, code="video_url")


def _is_public_hostname(host: str) -> bool:
    """A DNS name with at least one dot and a non-numeric top-level label (no IP address,
    no ``localhost``)."""
    labels = host.split(".")
    if len(labels) < 2 or len(host) > 253:
        return False
    if not all(_HOST_LABEL.match(label) for label in labels):
        return False
    return not labels[-1].isdigit()


def _path_parts(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def parse_video_url(url: str) -> VideoRef:
    """Return ``(provider, video_id)`` for an accepted video link, else raise
    ``ValidationError`` with a message for the user."""
    value = (url or "").strip()
    if not value or len(value) > MAX_VIDEO_URL_LENGTH or any(c.isspace() for c in value):
        raise _invalid()
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise _invalid() from None
    if parts.scheme != "https":
        raise ValidationError(
            _("Only secure links (starting with https://) are accepted."), code="video_https"
        )
    host = (parts.hostname or "").lower()
    if parts.username is not None or parts.password is not None or port not in (None, 443):
        raise _invalid()
    if not _is_public_hostname(host):
        raise _invalid()
    path = _path_parts(parts.path)

    if host in _YOUTUBE_HOSTS:
        if path == ["watch"]:
            ids = parse_qs(parts.query).get("v", [])
            if len(ids) == 1 and _YOUTUBE_ID.match(ids[0]):
                return VideoRef(YOUTUBE, ids[0])
        elif len(path) == 2 and path[0] == "shorts" and _YOUTUBE_ID.match(path[1]):
            return VideoRef(YOUTUBE, path[1])
        raise _invalid()
    if host == "youtu.be":
        if len(path) == 1 and _YOUTUBE_ID.match(path[0]):
            return VideoRef(YOUTUBE, path[0])
        raise _invalid()
    if host in _VIMEO_HOSTS:
        if len(path) == 1 and _VIMEO_ID.match(path[0]):
            return VideoRef(VIMEO, path[0])
        raise _invalid()
    if host in _DAILYMOTION_HOSTS:
        if len(path) == 2 and path[0] == "video" and _DAILYMOTION_ID.match(path[1]):
            return VideoRef(DAILYMOTION, path[1])
        raise _invalid()
    if host == "dai.ly":
        if len(path) == 1 and _DAILYMOTION_ID.match(path[0]):
            return VideoRef(DAILYMOTION, path[0])
        raise _invalid()
    # PeerTube: any instance, short links /w/<id> or /videos/watch/<uuid>.
    if (
        len(path) == 2
        and path[0] == "w"
        and (_PEERTUBE_SHORT_ID.match(path[1]) or _UUID.match(path[1]))
    ):
        return VideoRef(PEERTUBE, f"{host}/{path[1]}")
    if len(path) == 3 and path[:2] == ["videos", "watch"] and _UUID.match(path[2]):
        return VideoRef(PEERTUBE, f"{host}/{path[2].lower()}")
    raise _invalid()


def validate_video_url(value: str) -> None:
    """Form/model validator: accepts the empty string (the field is optional). A value
    over the length limit is left to the field's own ``max_length`` error."""
    if value and len(value) <= MAX_VIDEO_URL_LENGTH:
        parse_video_url(value)


def embed_url(ref: VideoRef) -> str:
    """The privacy-friendly player address of a parsed video link."""
    provider, video_id = ref
    if provider == YOUTUBE:
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if provider == VIMEO:
        return f"https://player.vimeo.com/video/{video_id}?dnt=1"
    if provider == DAILYMOTION:
        return f"https://www.dailymotion.com/embed/video/{video_id}"
    if provider == PEERTUBE:
        host, _sep, ident = video_id.partition("/")
        return f"https://{host}/videos/embed/{ident}"
    raise ValueError(f"unknown video provider {provider!r}")
