"""The coaching conversation: sanitised Markdown, attachments checked like every upload,
e-mail per message or a daily digest (sent once, even by two workers), and the coach's
private notes that the maker never sees."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tremplin.coaching import thread
from tremplin.coaching.models import Attachment, CoachNote, Message, ThreadPreference

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Bonjour **Marie**", "<p>Bonjour <strong>Marie</strong></p>"),
        ("*vite*", "<p><em>vite</em></p>"),
        ("- un\n- deux", "<ul><li>un</li><li>deux</li></ul>"),
        ("1. un\n2. deux", "<ol><li>un</li><li>deux</li></ol>"),
        ("ligne 1\nligne 2\n\nautre", "<p>ligne 1<br>ligne 2</p><p>autre</p>"),
        ("## Titre", "<h3>Titre</h3>"),
        ("> cité", "<blockquote><p>cité</p></blockquote>"),
        (
            "[le site](https://example.org/a)",
            '<p><a href="https://example.org/a" rel="noopener nofollow">le site</a></p>',
        ),
    ],
)
def test_markdown(source, expected):
    assert thread.render_markdown(source) == expected


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[clic](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "**<b onmouseover=alert(1)>x</b>**",
        "<style>body{}</style>",
    ],
)
def test_hostile_markdown_is_text(hostile):
    rendered = thread.render_markdown(hostile)
    tags = set(re.findall(r"<(\w+)", rendered))
    assert tags <= {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "blockquote"}
    assert all(href.startswith("https://") for href in re.findall(r'<a href="([^"]*)"', rendered))
    assert not re.search(r"<[^>]*\bon\w+=", rendered)


def test_a_message_notifies_the_others_at_once(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/accompagnement/c/{world.campaign.slug}/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.maker).post(
            url, {"action": "message", "body": "Pouvez-vous relire **ma page** ?"}
        )
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.body_html == "<p>Pouvez-vous relire <strong>ma page</strong> ?</p>"
    assert [m.to for m in mailoutbox] == [[world.coach.email]]
    assert "New message about Atelier vélo" in mailoutbox[0].subject
    assert "ma page" in mailoutbox[0].body
    # The organiser's manager answers: the maker and the coach are told, and the manager
    # now follows the thread.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.manager).post(url, {"action": "message", "body": "Je regarde."})
    assert sorted(m.to[0] for m in mailoutbox) == sorted([world.maker.email, world.coach.email])
    page = client_for(world.coach).get(url).content.decode()
    assert "<strong>ma page</strong>" in page and "Je regarde." in page


def test_the_digest_is_daily_and_sent_once(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/accompagnement/c/{world.campaign.slug}/"
    coach = client_for(world.coach)
    assert coach.post(url, {"action": "preference", "mode": "digest"}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.maker).post(url, {"action": "message", "body": "Premier"})
        client_for(world.maker).post(url, {"action": "message", "body": "Second"})
    assert mailoutbox == []  # no e-mail per message for the coach
    with django_capture_on_commit_callbacks(execute=True):
        assert thread.send_digests() == 0  # not a day yet
        later = timezone.now() + timedelta(days=1, minutes=1)
        assert thread.send_digests(later) == 1
        assert thread.send_digests(later) == 0
    assert len(mailoutbox) == 1
    assert "2 new messages" in mailoutbox[0].body
    assert "Premier" in mailoutbox[0].body and "Second" in mailoutbox[0].body
    # Nothing new: no empty digest the day after.
    with django_capture_on_commit_callbacks(execute=True):
        assert thread.send_digests(later + timedelta(days=1, minutes=1)) == 0


def test_off_means_no_email(world, client_for, mailoutbox, django_capture_on_commit_callbacks):
    url = f"/accompagnement/c/{world.campaign.slug}/"
    client_for(world.coach).post(url, {"action": "preference", "mode": "off"})
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.maker).post(url, {"action": "message", "body": "Hello"})
    assert mailoutbox == []


def test_private_notes_never_reach_the_maker(world, client_for):
    url = f"/accompagnement/c/{world.campaign.slug}/"
    coach = client_for(world.coach)
    assert (
        coach.post(url, {"action": "note", "note": "Manque de confiance, à rassurer"}).status_code
        == 302
    )
    assert "à rassurer" in coach.get(url).content.decode()
    for person in (world.maker, world.manager, world.viewer):
        assert "à rassurer" not in client_for(person).get(url).content.decode()
    assert client_for(world.maker).post(url, {"action": "note", "note": "x"}).status_code == 403
    assert client_for(world.manager).post(url, {"action": "note", "note": "x"}).status_code == 403
    assert CoachNote.objects.count() == 1


def test_attachments_are_checked_and_served_to_the_space_only(world, client_for, client):
    url = f"/accompagnement/c/{world.campaign.slug}/"
    maker = client_for(world.maker)
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = maker.post(url, {"action": "message", "body": "Mon plan", "attachment": fake})
    assert response.status_code == 400
    assert not Message.objects.exists()
    image = SimpleUploadedFile("photo.png", _png(), "image/png")
    assert (
        maker.post(url, {"action": "message", "body": "Photo", "attachment": image}).status_code
        == 302
    )
    item = Attachment.objects.get()
    assert item.content_type == "image/png" and not item.file.name.startswith("public/")
    path = f"{url}pieces/{item.pk}/"
    for person, status in (
        (world.maker, 200),
        (world.coach, 200),
        (world.viewer, 200),
        (world.other_maker, 404),
        (world.other_coach, 404),
        (world.other_manager, 404),
    ):
        assert client_for(person).get(path).status_code == status, person
    assert client.get(path).status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {"action": "message", "body": ""},
        {"action": "message", "body": "   "},
        {"action": "message", "body": "x" * 10001},
        {"action": "message", "body": "a\x00b"},
        {"action": "note", "note": ""},
        {"action": "preference", "mode": "carrier-pigeon"},
        {"action": "preference"},
    ],
)
def test_bad_thread_input(world, client_for, data):
    response = client_for(world.coach).post(f"/accompagnement/c/{world.campaign.slug}/", data)
    assert response.status_code == 400
    assert not Message.objects.exists()
    assert not CoachNote.objects.exists()
    assert not ThreadPreference.objects.exists()


def test_viewers_and_strangers_cannot_post(world, client_for):
    url = f"/accompagnement/c/{world.campaign.slug}/"
    assert client_for(world.viewer).post(url, {"action": "message", "body": "x"}).status_code == 403
    assert (
        client_for(world.other_maker).post(url, {"action": "message", "body": "x"}).status_code
        == 404
    )
    assert not Message.objects.exists()
