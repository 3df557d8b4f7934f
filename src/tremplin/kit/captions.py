"""Captions of the one-minute video: WebVTT read strictly, and a transcript turned into
timed cues. Pure functions (no database): ``kit.video`` stores what they return.

A captions file is accepted only when it is a WebVTT file a player reads the same way
everywhere: UTF-8 text starting with ``WEBVTT``, cues whose times are well formed, end
after they start, in order, each with some text. What is stored is written out again
from the parsed cues (``to_webvtt``), so nothing but cues, times, their settings and their
text reaches the visitors' players."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tremplin.kit.errors import KitError

MAX_CAPTIONS_BYTES = 512 * 1024
MAX_CUES = 3000
MAX_CUE_CHARS = 500
MAX_TIME = 4 * 3600.0  # seconds: no video of the kit is that long
# hh:mm:ss.ttt or mm:ss.ttt (hours optional, two or more digits)
_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING = re.compile(rf"^{_TIME}[ \t]+-->[ \t]+{_TIME}((?:[ \t]+\S+)*)[ \t]*$")
_SETTING = re.compile(
    r"^(?:vertical:(?:rl|lr)|line:-?\d+(?:\.\d+)?%?(?:,(?:start|center|end))?"
    r"|position:\d+(?:\.\d+)?%(?:,(?:line-left|center|line-right))?"
    r"|size:\d+(?:\.\d+)?%|align:(?:start|center|end|left|right)|region:[^\s:]+)$"
)
_HEADER = re.compile(r"^WEBVTT(?:[ \t][^\n]*)?$")
# Control characters other than tab (a cue's text is shown as text by players; NUL and
# the like have no place in it).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class CaptionsError(KitError):
    """The captions file or transcript was refused (the message says why, with the line)."""


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str
    identifier: str = ""
    settings: str = ""


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def format_time(value: float) -> str:
    millis = round(value * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _error(message: str, line: int | None = None) -> CaptionsError:
    if line is not None:
        message = _("Line %(line)s: %(message)s") % {"line": line, "message": message}
    return CaptionsError(message, code="invalid_webvtt")


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (a BOM is allowed), no NUL or control character, size bounded."""
    if len(data) > MAX_CAPTIONS_BYTES:
        raise CaptionsError(
            _("The captions file is too large (at most %(max)s KB).")
            % {"max": MAX_CAPTIONS_BYTES // 1024},
            code="file_too_large",
        )
    if not data.strip():
        raise CaptionsError(_("The captions file is empty."), code="empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise CaptionsError(
            _("The captions file must be UTF-8 text (WebVTT): this file is not."),
            code="invalid_webvtt",
        ) from None
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_webvtt(data: bytes) -> list[Cue]:
    """The cues of a WebVTT file, or :class:`CaptionsError` naming the first problem."""
    text = decode(data)
    lines = text.split("\n")
    bad = next((n for n, line in enumerate(lines, 1) if _CONTROL.search(line)), None)
    if bad is not None:
        raise _error(_("a control character (such as a NUL byte) is not allowed."), bad)
    if not _HEADER.match(lines[0]):
        raise _error(_("a WebVTT file starts with the word WEBVTT."), 1)
    # The header block runs to the first blank line; it must not hold a cue timing.
    index = 1
    while index < len(lines) and lines[index].strip():
        if "-->" in lines[index]:
            raise _error(
                _("leave a blank line between the WEBVTT header and the first cue."), index + 1
            )
        index += 1
    cues: list[Cue] = []
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        block_start = index
        block = []
        while index < len(lines) and lines[index].strip():
            block.append(lines[index])
            index += 1
        first = block[0]
        if first.startswith("NOTE") and (len(first) == 4 or first[4] in " \t"):
            if any("-->" in line for line in block):
                raise _error(_("a note cannot contain “-->”."), block_start + 1)
            continue
        if (first == "STYLE" or first == "REGION") or first.startswith(("STYLE ", "REGION ")):
            if cues:
                raise _error(
                    _("STYLE and REGION blocks must come before the first cue."), block_start + 1
                )
            continue
        identifier = ""
        if "-->" not in first:
            identifier = first.strip()
            block = block[1:]
            block_start += 1
            if not block:
                raise _error(
                    _("a cue identifier must be followed by its timing line."), block_start
                )
        match = _TIMING.match(block[0])
        if not match:
            raise _error(
                _("a cue timing looks like “00:00:01.000 --> 00:00:04.000”."), block_start + 1
            )
        groups = match.groups()
        start = _seconds(*groups[0:4])
        end = _seconds(*groups[4:8])
        settings = (groups[8] or "").split()
        for setting in settings:
            if not _SETTING.match(setting):
                raise _error(
                    _("unknown cue setting “%(setting)s”.") % {"setting": setting[:40]},
                    block_start + 1,
                )
        if end <= start:
            raise _error(_("a cue must end after it starts."), block_start + 1)
        if end > MAX_TIME:
            raise _error(_("a cue ends after four hours."), block_start + 1)
        if cues and start < cues[-1].start:
            raise _error(_("cues must be in the order of their start times."), block_start + 1)
        payload = block[1:]
        if not payload:
            raise _error(_("a cue has no text."), block_start + 1)
        if any("-->" in line for line in payload):
            raise _error(_("leave a blank line between two cues."), block_start + 2)
        cue_text = "\n".join(line.strip() for line in payload)
        if len(cue_text) > MAX_CUE_CHARS:
            raise _error(_("a cue's text is too long."), block_start + 2)
        cues.append(Cue(start, end, cue_text, identifier[:100], " ".join(settings)))
        if len(cues) > MAX_CUES:
            raise CaptionsError(_("Too many cues in the captions file."), code="too_many_cues")
    if not cues:
        raise CaptionsError(_("The captions file has no cue."), code="no_cue")
    return cues


def to_webvtt(cues: list[Cue]) -> str:
    """A WebVTT file written out from ``cues``."""
    parts = ["WEBVTT", ""]
    for cue in cues:
        if cue.identifier:
            parts.append(cue.identifier)
        timing = f"{format_time(cue.start)} --> {format_time(cue.end)}"
        parts.append(f"{timing} {cue.settings}" if cue.settings else timing)
        parts.append(cue.text)
        parts.append("")
    return "\n".join(parts)


# --- a transcript turned into captions ---------------------------------------------------

LINE_CHARS = 42  # the usual subtitle line
CUE_CHARS = 2 * LINE_CHARS
READING_SPEED = 15.0  # characters per second, the usual pace for subtitles
MIN_CUE = 1.5  # seconds
MAX_CUE = 6.0
GAP = 0.1
MAX_TRANSCRIPT_CHARS = 20_000
_SENTENCE = re.compile(r"(?<=[.!?…;:])\s+")


def _wrap(words: list[str], width: int) -> list[str]:
    lines, current = [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    return lines


def split_transcript(text: str) -> list[str]:
    """The transcript cut into cue texts: each sentence, cut again to at most two lines
    of 42 characters, never inside a word (a word longer than a line is its own cue)."""
    chunks = []
    for paragraph in text.split("\n"):
        for sentence in _SENTENCE.split(paragraph.strip()):
            words = sentence.split()
            if not words:
                continue
            lines = _wrap(words, LINE_CHARS)
            for i in range(0, len(lines), 2):
                chunks.append("\n".join(lines[i : i + 2]))
    return chunks


def transcript_cues(text: str, duration: float | None = None) -> list[Cue]:
    """Timed cues from a transcript. Each cue lasts as long as its text takes to read
    (15 characters a second, 1.5 to 6 seconds); when the video's ``duration`` is known,
    the cues are spread over it in proportion to their length instead."""
    if _CONTROL.search(text.replace("\n", " ").replace("\r", " ")):
        raise CaptionsError(
            _("The transcript contains a control character (such as a NUL byte)."),
            code="invalid_transcript",
        )
    if len(text) > MAX_TRANSCRIPT_CHARS:
        raise CaptionsError(
            _("The transcript is too long (at most %(max)s characters).")
            % {"max": MAX_TRANSCRIPT_CHARS},
            code="invalid_transcript",
        )
    chunks = split_transcript(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not chunks:
        raise CaptionsError(_("The transcript is empty."), code="empty")
    if len(chunks) > MAX_CUES:
        raise CaptionsError(_("The transcript is too long."), code="invalid_transcript")
    lengths = [len(chunk.replace("\n", " ")) for chunk in chunks]
    if duration and duration > 0:
        total = sum(lengths)
        spans = [duration * n / total for n in lengths]
    else:
        spans = [min(MAX_CUE, max(MIN_CUE, n / READING_SPEED)) for n in lengths]
    cues, start = [], 0.0
    for chunk, span in zip(chunks, spans, strict=True):
        end = start + span
        shown_until = max(start + 0.001, end - GAP) if span > 2 * GAP else end
        cues.append(Cue(round(start, 3), round(shown_until, 3), chunk))
        start = end
    return cues


def transcript_to_webvtt(text: str, duration: float | None = None) -> str:
    return to_webvtt(transcript_cues(text, duration))
