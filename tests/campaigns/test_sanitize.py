"""The campaign description is sanitised with nh3: a small allow-list, safe links only."""

from __future__ import annotations

import pytest

from tremplin.campaigns.sanitize import sanitize_html


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>Hello <script>alert(1)</script>world</p>", "<p>Hello world</p>"),
        ('<img src="x" onerror="alert(1)">Text', "Text"),
        ('<p onclick="steal()">Click</p>', "<p>Click</p>"),
        ('<a href="javascript:alert(1)">link</a>', '<a rel="noopener nofollow">link</a>'),
        ('<a href="JaVaScRiPt:alert(1)">link</a>', '<a rel="noopener nofollow">link</a>'),
        ('<a href="data:text/html,x">link</a>', '<a rel="noopener nofollow">link</a>'),
        ('<a href="/admin/">relative</a>', '<a rel="noopener nofollow">relative</a>'),
        (
            '<a href="https://example.org" target="_blank" rel="opener">ok</a>',
            '<a href="https://example.org" rel="noopener nofollow">ok</a>',
        ),
        (
            '<a href="mailto:hello@example.org">mail</a>',
            '<a href="mailto:hello@example.org" rel="noopener nofollow">mail</a>',
        ),
        ('<style>body{display:none}</style><p style="color:red">x</p>', "<p>x</p>"),
        ('<iframe src="https://evil.example"></iframe>after', "after"),
        ("<h1>Big</h1><h2>Title</h2>", "Big<h2>Title</h2>"),
        (
            "<ul><li><strong>a</strong></li></ul><blockquote><em>q</em></blockquote>",
            "<ul><li><strong>a</strong></li></ul><blockquote><em>q</em></blockquote>",
        ),
        ("<svg><script>alert(1)</script></svg>", ""),
        ("<!-- comment --><p>x</p>", "<p>x</p>"),
        ("", ""),
    ],
)
def test_sanitize(dirty, clean):
    assert sanitize_html(dirty) == clean
