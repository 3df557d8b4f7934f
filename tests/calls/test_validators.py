import pytest
from django.core.exceptions import ValidationError

from tremplin.calls.validators import (
    VideoRef,
    embed_url,
    parse_video_url,
    validate_video_url,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", ("youtube", "dQw4w9WgXcQ")),
        ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtu.be/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", ("youtube", "dQw4w9WgXcQ")),
        ("https://www.youtube.com/shorts/dQw4w9WgXcQ", ("youtube", "dQw4w9WgXcQ")),
        ("https://vimeo.com/76979871", ("vimeo", "76979871")),
        ("https://www.vimeo.com/76979871/", ("vimeo", "76979871")),
        ("https://www.dailymotion.com/video/x8abcd1", ("dailymotion", "x8abcd1")),
        ("https://dai.ly/x8abcd1", ("dailymotion", "x8abcd1")),
        (
            "https://videos.example.org/w/9xLmTp3qRsZ4kN2vB7cD1e",
            ("peertube", "videos.example.org/9xLmTp3qRsZ4kN2vB7cD1e"),
        ),
        (
            "https://tube.lille.fr/videos/watch/9C9DE5E8-0A1E-484A-B099-E80766180A6D",
            ("peertube", "tube.lille.fr/9c9de5e8-0a1e-484a-b099-e80766180a6d"),
        ),
        ("  https://youtu.be/dQw4w9WgXcQ  ", ("youtube", "dQw4w9WgXcQ")),
    ],
)
def test_accepted_video_links(url, expected):
    assert parse_video_url(url) == VideoRef(*expected)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "javascript:alert(1)",
        "JavaScript://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "data:text/html,<script>alert(1)</script>",
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "http://youtu.be/dQw4w9WgXcQ",
        "ftp://vimeo.com/76979871",
        "www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch",
        "https://www.youtube.com/channel/UC123",
        "https://youtu.be/",
        "https://vimeo.com/channels/staffpicks",
        "https://vimeo.com/abc",
        "https://www.dailymotion.com/user/x8abcd1",
        "https://example.com/watch?v=dQw4w9WgXcQ",
        "https://evil.example.com/",
        "https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        "https://127.0.0.1/w/9xLmTp3qRsZ4kN2vB7cD1e",
        "https://localhost/w/9xLmTp3qRsZ4kN2vB7cD1e",
        "https://tube.example.org/videos/watch/not-a-uuid",
        "https://tube.example.org/w/<script>",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\nhttps://evil",
        "https://" + "a" * 300 + ".com/w/9xLmTp3qRsZ4kN2vB7cD1e",
        "https:///w/9xLmTp3qRsZ4kN2vB7cD1e",
        "https://[::1]/w/9xLmTp3qRsZ4kN2vB7cD1e",
    ],
)
def test_refused_video_links(url):
    with pytest.raises(ValidationError):
        parse_video_url(url)


def test_http_link_gets_the_https_message():
    with pytest.raises(ValidationError) as caught:
        parse_video_url("http://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert caught.value.code == "video_https"


def test_validator_accepts_empty_value():
    validate_video_url("")


def test_embed_urls_are_privacy_friendly():
    assert embed_url(VideoRef("youtube", "dQw4w9WgXcQ")) == (
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    assert embed_url(VideoRef("vimeo", "1")).endswith("dnt=1")
    assert embed_url(VideoRef("dailymotion", "x1")) == "https://www.dailymotion.com/embed/video/x1"
    assert embed_url(VideoRef("peertube", "tube.example.org/abc123")) == (
        "https://tube.example.org/videos/embed/abc123"
    )
