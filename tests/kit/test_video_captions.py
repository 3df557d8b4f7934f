"""Captions read strictly (WebVTT) and a transcript turned into timed cues."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.kit.media import VTT
from tremplin.kit.captions import (
    CUE_CHARS,
    LINE_CHARS,
    CaptionsError,
    parse_webvtt,
    split_transcript,
    to_webvtt,
    transcript_cues,
    transcript_to_webvtt,
)
from tremplin.kit.ffmpeg import parse_probe


def test_a_valid_file_is_read_and_written_out_again():
    cues = parse_webvtt(VTT)
    assert [(c.start, c.end) for c in cues] == [(0.0, 1.5), (1.6, 3.0)]
    assert cues[1].text == "Je répare des vélos."
    assert cues[1].identifier == "intro-2"
    assert cues[1].settings == "line:90% align:center"
    assert parse_webvtt(to_webvtt(cues).encode()) == cues


def test_a_bom_crlf_notes_styles_and_hours_are_fine():
    data = (
        "\ufeffWEBVTT - sous-titres\r\nKind: captions\r\n\r\n"
        "STYLE\r\n::cue { color: yellow }\r\n\r\n"
        "NOTE relu par l'équipe\r\n\r\n01:00:00.000 --> 01:00:02.000\r\nUne heure après.\r\n"
    ).encode()
    (cue,) = parse_webvtt(data)
    assert (cue.start, cue.text) == (3600.0, "Une heure après.")


BAD = {
    "empty": b"",
    "blank": b"   \n\n",
    "not webvtt": b"1\n00:00:00,000 --> 00:00:01,000\nSRT, not WebVTT\n",
    "nul byte": b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nA\x00B\n",
    "latin-1": "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nvélo\n".encode("latin-1"),
    "no cue": b"WEBVTT\n\nNOTE nothing\n",
    "comma times": b"WEBVTT\n\n00:00:00,000 --> 00:00:01,000\nA\n",
    "end before start": b"WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nA\n",
    "equal times": b"WEBVTT\n\n00:00:01.000 --> 00:00:01.000\nA\n",
    "minutes 61": b"WEBVTT\n\n00:61:00.000 --> 00:62:00.000\nA\n",
    "out of order": b"WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nA\n\n"
    b"00:00:01.000 --> 00:00:02.000\nB\n",
    "no text": b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n",
    "identifier only": b"WEBVTT\n\nintro\n",
    "two cues glued": b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nA\n"
    b"00:00:01.000 --> 00:00:02.000\nB\n",
    "unknown setting": b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000 onclick:alert(1)\nA\n",
    "cue in header": b"WEBVTT\n00:00:00.000 --> 00:00:01.000\nA\n",
    "style after cue": b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nA\n\nSTYLE\n::cue {}\n",
    "forty digits": b"WEBVTT\n\n" + b"9" * 40 + b":00:00.000 --> " + b"9" * 40 + b":00:01.000\nA\n",
    "huge": b"WEBVTT\n\n" + b"00:00:00.000 --> 00:00:01.000\n" + b"A" * 600_000 + b"\n",
    "binary": bytes(range(256)) * 10,
}


@pytest.mark.parametrize("name", BAD)
def test_bad_files_are_refused_with_a_reason(name):
    with pytest.raises(CaptionsError) as caught:
        parse_webvtt(BAD[name])
    assert caught.value.messages[0]


def test_the_error_names_the_line():
    with pytest.raises(CaptionsError, match="Line 6"):
        parse_webvtt(
            b"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nA\n\n00:00:0x.000 --> 00:00:02.000\nB\n"
        )


def test_a_transcript_becomes_cues_of_two_short_lines_read_at_a_normal_pace():
    text = (
        "Bonjour, je suis Malik. Je répare des vélos dans les quartiers de Lille depuis dix "
        "ans, avec une remorque, des outils et beaucoup de patience ! Aidez-nous à ouvrir "
        "un deuxième atelier."
    )
    cues = transcript_cues(text)
    assert cues[0].text == "Bonjour, je suis Malik."
    for cue in cues:
        lines = cue.text.split("\n")
        assert len(lines) <= 2 and all(len(line) <= LINE_CHARS for line in lines)
        assert 1.3 <= cue.end - cue.start <= 6.0
    assert all(a.end <= b.start for a, b in zip(cues, cues[1:], strict=False))
    assert " ".join(c.text.replace("\n", " ") for c in cues) == text
    assert parse_webvtt(transcript_to_webvtt(text).encode())  # a valid file


def test_with_the_video_duration_the_cues_fill_it():
    cues = transcript_cues("Une phrase. Une autre phrase un peu plus longue. Fin.", duration=12.0)
    assert cues[0].start == 0.0
    assert 11.8 <= cues[-1].end <= 12.0


@pytest.mark.parametrize("text", ["", "   \n ", "a\x00b", "x" * 20_001])
def test_a_bad_transcript_is_refused(text):
    with pytest.raises(CaptionsError):
        transcript_cues(text)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=600).filter(lambda t: t.strip()))
def test_any_transcript_gives_a_valid_file_or_a_clear_refusal(text):
    try:
        vtt = transcript_to_webvtt(text)
    except CaptionsError:
        return
    cues = parse_webvtt(vtt.encode())
    assert all(len(c.text) <= CUE_CHARS + 1 or " " not in c.text for c in cues)


def test_split_never_cuts_a_word():
    words = "anticonstitutionnellement " * 10 + "x" * 60
    chunks = split_transcript(words)
    pieces = [p for chunk in chunks for p in chunk.split()]
    assert pieces == words.split()  # every word whole, in order
    assert chunks[-1] == "x" * 60  # a word longer than a line is a cue of its own


def test_the_probe_reads_what_ffmpeg_prints():
    info = parse_probe(
        "  Duration: 00:00:30.00, start: 0.000000, bitrate: 160 kb/s\n"
        "  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), "
        "1080x1920 [SAR 1:1 DAR 9:16], 157 kb/s, 25 fps, 25 tbr, 12800 tbn (default)\n"
    )
    assert (info.duration, info.codec, info.pixel_format, info.width, info.height) == (
        30.0,
        "h264",
        "yuv420p",
        1080,
        1920,
    )
    assert parse_probe("garbage").duration is None
