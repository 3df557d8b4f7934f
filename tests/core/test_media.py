"""Public uploads (logos, rules) are served from MEDIA_ROOT/public only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse


@pytest.fixture
def media(settings):
    root = Path(settings.MEDIA_ROOT)
    (root / "public" / "partners").mkdir(parents=True)
    (root / "applications" / "files").mkdir(parents=True)
    (root / "public" / "partners" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (root / "public" / "rules.pdf").write_bytes(b"%PDF-1.4 fake")
    (root / "public" / "evil.svg").write_text("<svg onload='alert(1)'/>")
    (root / "public" / "notes.html").write_text("<script>alert(1)</script>")
    (root / "applications" / "files" / "private.pdf").write_bytes(b"%PDF-1.4 secret")
    (root / "secret.txt").write_text("secret")
    return root


def test_public_file_is_served(client, media):
    response = client.get(reverse("core:public_media", args=["partners/logo.png"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == b"\x89PNG\r\n\x1a\nfake"
    assert "max-age" in response["Cache-Control"]


def test_pdf_is_served_inline(client, media):
    response = client.get(reverse("core:public_media", args=["rules.pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" not in response.get("Content-Disposition", "")


@pytest.mark.parametrize("name", ["evil.svg", "notes.html"])
def test_active_content_is_downloaded_not_rendered(client, media, name):
    response = client.get(reverse("core:public_media", args=[name]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "../applications/files/private.pdf",
        "partners/../../secret.txt",
        "..%2Fsecret.txt",
        "/etc/passwd",
        "partners/",
        "partners",
        "missing.png",
        "",
    ],
)
def test_traversal_and_missing_files_are_404(client, media, path):
    response = client.get("/media/public/" + path)
    assert response.status_code == 404


def test_private_upload_has_no_public_address(client, media):
    assert client.get("/media/applications/files/private.pdf").status_code == 404


def test_symlink_out_of_public_is_404(client, media):
    (media / "public" / "link.txt").symlink_to(media / "secret.txt")
    assert client.get(reverse("core:public_media", args=["link.txt"])).status_code == 404


def test_only_get(client, media):
    url = reverse("core:public_media", args=["rules.pdf"])
    assert client.post(url).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/media/public/a%00.png",
        "/media/public/partners/logo.png%00.txt",
        "/media/public/" + "a" * 5000 + ".png",
        "/media/public/%ED%A0%80.png",
    ],
)
def test_bad_names_are_not_found(client, media, path):
    """Names the file system refuses (a NUL byte, too long, not encodable) are a 404,
    not a server error."""
    assert client.get(path).status_code == 404
