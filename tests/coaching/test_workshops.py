"""Workshops: registration with and without an account, audiences, waiting list and
promotion, the signed registration link, ICS files, management permissions, attendance,
materials, reminders, and bad input on every form."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from icalendar import Calendar

from tests.coaching.conftest import make_workshop
from tremplin.coaching import workshops
from tremplin.coaching.enums import RegistrationState
from tremplin.coaching.errors import CoachingError
from tremplin.coaching.models import Workshop, WorkshopMaterial, WorkshopRegistration
from tremplin.core.dates import PARIS

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- registration ---------------------------------------------------------------------------


def test_a_visitor_registers_without_an_account_and_cancels_by_the_link(
    public_programme, client, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = make_workshop(public_programme, capacity=1)
    url = f"/ateliers/{workshop.pk}/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"name": "Ana Visitor", "email": "Ana@Example.org"})
    assert response.status_code == 302
    registration = WorkshopRegistration.objects.get()
    assert registration.email == "ana@example.org"
    assert registration.state == RegistrationState.CONFIRMED
    # The confirmation carries the cancel link and the ICS invitation.
    message = mailoutbox[0]
    assert workshops.registration_path(registration) in message.body
    assert message.attachments[0][0] == "invitation.ics"
    Calendar.from_ical(message.attachments[0][1])

    # The second visitor waits; the first cancels by the link: the second gets the place.
    client.post(url, {"name": "Bob", "email": "bob@example.org"})
    bob = WorkshopRegistration.objects.get(email="bob@example.org")
    assert bob.state == RegistrationState.WAITING
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"Ana Visitor" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(response["Location"]).status_code == 302
    bob.refresh_from_db()
    assert bob.state == RegistrationState.CONFIRMED and bob.promoted_at
    assert "A place freed up" in mailoutbox[-1].subject
    assert mailoutbox[-1].to == ["bob@example.org"]
    # Cancelling twice is refused, without a change.
    assert client.post(response["Location"]).status_code == 400


def test_the_same_address_registers_once(public_programme):
    workshop = make_workshop(public_programme)
    workshops.register(workshop, name="A", email="a@example.org")
    with pytest.raises(CoachingError) as error:
        workshops.register(workshop, name="A again", email="A@example.org")
    assert error.value.code == "already"
    assert WorkshopRegistration.objects.count() == 1


def test_no_registration_once_started_or_cancelled(public_programme, client):
    started = make_workshop(public_programme)
    Workshop.objects.filter(pk=started.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    response = client.post(f"/ateliers/{started.pk}/", {"name": "A", "email": "a@example.org"})
    assert response.status_code == 400
    cancelled = make_workshop(public_programme, cancelled_at=timezone.now())
    with pytest.raises(CoachingError):
        workshops.register(cancelled, name="A", email="a@example.org")
    assert not WorkshopRegistration.objects.exists()


def test_anonymous_registrations_are_rate_limited(public_programme, client, settings):
    settings.WORKSHOP_REGISTRATIONS_PER_IP = 2
    workshop = make_workshop(public_programme)
    for i in range(2):
        client.post(f"/ateliers/{workshop.pk}/", {"name": "A", "email": f"a{i}@example.org"})
    response = client.post(f"/ateliers/{workshop.pk}/", {"name": "A", "email": "z@example.org"})
    assert response.status_code == 429
    assert WorkshopRegistration.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "", "email": ""},
        {"name": "A", "email": "not an address"},
        {"name": "A" * 5000, "email": "a@example.org"},
        {"name": "A\x00B", "email": "a@example.org"},
        {"name": "<script>alert(1)</script>", "email": "x" * 300 + "@example.org"},
        {"name": "   ", "email": "a@example.org"},
        {"name": "A", "email": "1" * 40},
    ],
)
def test_bad_registration_input_is_refused_without_a_change(public_programme, client, data):
    workshop = make_workshop(public_programme)
    response = client.post(f"/ateliers/{workshop.pk}/", data)
    assert response.status_code == 400
    assert not WorkshopRegistration.objects.exists()


def test_a_forged_registration_link_is_404(client):
    assert client.get("/ateliers/inscription/1234/").status_code == 404
    assert client.post("/ateliers/inscription/%00/").status_code == 404


# --- audiences --------------------------------------------------------------------------------


def test_laureates_workshops_are_for_the_laureates_only(world, client, client_for):
    workshop = make_workshop(world.programme, audience="laureates")
    url = f"/ateliers/{workshop.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "A", "email": "a@example.org"}).status_code == 404
    from tests.factories import UserFactory

    assert client_for(UserFactory()).get(url).status_code == 404
    maker = client_for(world.maker)
    assert maker.get(url).status_code == 200
    response = maker.post(url, {"name": "Marie", "email": "ignored@example.org"})
    assert response.status_code == 302
    # A signed-in person registers with their account's address.
    assert WorkshopRegistration.objects.get().email == world.maker.email
    # The public list does not show it to visitors.
    assert (
        workshop.title.encode()
        not in client.get(f"/programmes/{world.programme.slug}/ateliers/").content
    )


def test_applicants_workshops_are_for_the_applicants(world, client_for):
    from tests.factories import SubmittedApplicationFactory, UserFactory

    workshop = make_workshop(world.programme, audience="applicants", title="Candidater")
    applicant = SubmittedApplicationFactory(programme=world.programme).maker
    assert client_for(applicant).get(f"/ateliers/{workshop.pk}/").status_code == 200
    assert client_for(UserFactory()).get(f"/ateliers/{workshop.pk}/").status_code == 404


def test_a_draft_programme_shows_no_workshop(organiser, client):
    from tests.factories import ProgrammeFactory

    draft = ProgrammeFactory(organiser=organiser, state="draft")
    workshop = make_workshop(draft)
    assert client.get(f"/ateliers/{workshop.pk}/").status_code == 404
    assert client.get(f"/programmes/{draft.slug}/ateliers/").status_code == 404


# --- ICS ----------------------------------------------------------------------------------------


def _events(data: bytes):
    calendar = Calendar.from_ical(data)
    return calendar, list(calendar.walk("VEVENT"))


def test_the_programme_feed_is_valid_ics_in_paris_time(public_programme, client):
    # A winter and a summer workshop: +01:00 and +02:00 from UTC, both 10:00 in Paris.
    from datetime import datetime

    winter = datetime(2031, 1, 15, 10, 0, tzinfo=PARIS)
    summer = datetime(2031, 7, 15, 10, 0, tzinfo=PARIS)
    make_workshop(public_programme, title="Hiver", starts_at=winter)
    make_workshop(public_programme, title="Été", starts_at=summer)
    make_workshop(public_programme, title="Lauréats", starts_at=summer, audience="laureates")
    response = client.get(f"/programmes/{public_programme.slug}/ateliers.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar, events = _events(response.content)
    assert sorted(str(e["summary"]) for e in events) == ["Hiver", "Été"]
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    for event in events:
        start = event.decoded("dtstart")
        assert event["dtstart"].params["TZID"] == "Europe/Paris"
        assert (start.hour, start.minute) == (10, 0)
        assert start.utcoffset() == (timedelta(hours=1) if start.month == 1 else timedelta(hours=2))
        assert event.decoded("dtend") - start == timedelta(minutes=120)


def test_one_workshop_ics(public_programme, client):
    workshop = make_workshop(public_programme, online_url="https://visio.example.org/abc")
    response = client.get(f"/ateliers/{workshop.pk}/atelier.ics")
    _calendar, events = _events(response.content)
    assert events[0]["uid"] == f"workshop-{workshop.pk}@testserver"
    assert events[0].decoded("dtstart") == workshop.starts_at.replace(microsecond=0)


# --- management ---------------------------------------------------------------------------


FORM = {
    "title": "Raconter son projet en vidéo",
    "description": "Filmer une minute qui donne envie.",
    "place": "",
    "address": "",
    "online_url": "https://visio.example.org/video",
    "starts_at": "2031-03-30T10:00",
    "duration_minutes": "90",
    "capacity": "12",
    "audience": "laureates",
}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("manager", 302),
        ("coach", 302),
        ("viewer", 403),
        ("other_coach_elsewhere", 404),
        ("other_manager", 404),
        ("maker", 404),
    ],
)
def test_who_schedules_a_workshop(world, client_for, role, status):
    from tests.factories import UserFactory

    people = world.people()
    people["other_coach_elsewhere"] = UserFactory(is_coach=True)
    response = client_for(people[role]).post(
        f"/accompagnement/programmes/{world.programme.slug}/ateliers/nouveau/", FORM
    )
    assert response.status_code == status
    assert Workshop.objects.exists() == (status == 302)
    if status == 302:
        workshop = Workshop.objects.get()
        # 10:00 in Paris on the day summer time starts is 08:00 UTC.
        assert workshop.starts_at.astimezone(PARIS).hour == 10
        assert workshop.starts_at.utcoffset() is not None


def test_anonymous_is_sent_to_log_in_for_management(world, client):
    response = client.get(f"/accompagnement/programmes/{world.programme.slug}/ateliers/nouveau/")
    assert response.status_code == 302 and "/comptes/" in response["Location"]


@pytest.mark.parametrize(
    "change",
    [
        {"title": ""},
        {"title": "x" * 500},
        {"title": "A\x00"},
        {"capacity": "0"},
        {"capacity": "1" * 40},
        {"capacity": "-3"},
        {"duration_minutes": "99999999999"},
        {"starts_at": "not a date"},
        {"starts_at": "2020-01-01T10:00"},
        {"starts_at": "2031-03-30T02:30"},  # does not exist in Paris
        {"online_url": "javascript:alert(1)"},
        {"online_url": ""},  # nor place nor address
        {"audience": "everyone"},
    ],
)
def test_bad_workshop_input(world, client_for, change):
    response = client_for(world.manager).post(
        f"/accompagnement/programmes/{world.programme.slug}/ateliers/nouveau/", {**FORM, **change}
    )
    assert response.status_code == 400
    assert not Workshop.objects.exists()


def test_capacity_raised_promotes_and_lowered_below_registered_is_refused(world, client_for):
    workshop = make_workshop(world.programme, capacity=1)
    for i in range(3):
        workshops.register(workshop, name=f"P{i}", email=f"p{i}@example.org")
    url = f"/accompagnement/ateliers/{workshop.pk}/"
    manager = client_for(world.manager)
    fields = {name: getattr(workshop, name) for name in workshops.WORKSHOP_FIELDS}
    fields["starts_at"] = workshop.starts_at.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")
    response = manager.post(url, {**fields, "action": "edit", "capacity": "2"})
    assert response.status_code == 302
    assert WorkshopRegistration.objects.filter(state="confirmed").count() == 2
    response = manager.post(url, {**fields, "action": "edit", "capacity": "1"})
    assert response.status_code == 400
    workshop.refresh_from_db()
    assert workshop.capacity == 2


def test_the_management_page_by_role(world, client_for):
    workshop = make_workshop(world.programme)
    url = f"/accompagnement/ateliers/{workshop.pk}/"
    statuses = {
        role: client_for(user).get(url).status_code for role, user in world.people().items() if user
    }
    assert statuses == {
        "maker": 404,
        "other_maker": 404,
        "coach": 200,
        "other_coach": 200,  # coaches a campaign of the programme
        "manager": 200,
        "viewer": 200,
        "other_manager": 404,
    }
    assert client_for(world.viewer).post(url, {"action": "share"}).status_code == 403
    assert client_for(world.manager).post(url, {"action": "nonsense"}).status_code == 400


def test_attendance_materials_and_sharing(
    world, client_for, client, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = make_workshop(world.programme)
    came = workshops.register(workshop, name="Came", email="came@example.org")
    absent = workshops.register(workshop, name="Absent", email="absent@example.org")
    url = f"/accompagnement/ateliers/{workshop.pk}/"
    manager = client_for(world.manager)
    # Not before it starts.
    assert manager.post(url, {"action": "attendance", "present": [came.pk]}).status_code == 400
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    assert manager.post(url, {"action": "attendance", "present": [str(came.pk)]}).status_code == 302
    assert manager.post(url, {"action": "attendance", "present": ["99999"]}).status_code == 400
    came.refresh_from_db(), absent.refresh_from_db()
    assert came.attended is True and absent.attended is False
    # Materials: a PDF checked by content, a fake PDF refused.
    fake = SimpleUploadedFile("slides.pdf", b"<html>not a pdf</html>", "application/pdf")
    assert (
        manager.post(url, {"action": "material", "title": "Slides", "file": fake}).status_code
        == 400
    )
    assert manager.post(url, {"action": "material", "title": "", "url": ""}).status_code == 400
    pdf = SimpleUploadedFile("slides.pdf", _pdf(), "application/pdf")
    assert (
        manager.post(url, {"action": "material", "title": "Slides", "file": pdf}).status_code == 302
    )
    material = WorkshopMaterial.objects.get()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.post(url, {"action": "share"}).status_code == 302
    assert [m.to for m in mailoutbox] == [["came@example.org"]]
    assert manager.post(url, {"action": "share"}).status_code == 400  # once
    # The attendee downloads by their link; the absent person and a forger cannot.
    came_token = workshops.registration_token(came)
    download = client.get(f"/ateliers/inscription/{came_token}/supports/{material.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    absent_token = workshops.registration_token(absent)
    assert (
        client.get(f"/ateliers/inscription/{absent_token}/supports/{material.pk}/").status_code
        == 404
    )
    assert client_for(world.maker).get(f"{url}supports/{material.pk}/").status_code == 404
    assert client_for(world.viewer).get(f"{url}supports/{material.pk}/").status_code == 200


def test_reminders_the_day_before_are_sent_once(
    public_programme, mailoutbox, django_capture_on_commit_callbacks
):
    soon = make_workshop(public_programme, starts_at=timezone.now() + timedelta(hours=20))
    later = make_workshop(public_programme, starts_at=timezone.now() + timedelta(days=5))
    workshops.register(soon, name="A", email="a@example.org")
    workshops.register(later, name="B", email="b@example.org")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert workshops.send_workshop_reminders() == 1
        assert workshops.send_workshop_reminders() == 0
    assert [m.to for m in mailoutbox] == [["a@example.org"]]
    assert mailoutbox[0].subject == "Demain : Réussir sa collecte"  # in French


def test_cancelling_a_workshop_tells_everyone(
    world, client_for, mailoutbox, django_capture_on_commit_callbacks
):
    workshop = make_workshop(world.programme, capacity=1)
    workshops.register(workshop, name="A", email="a@example.org")
    workshops.register(workshop, name="B", email="b@example.org")
    url = f"/accompagnement/ateliers/{workshop.pk}/"
    assert client_for(world.viewer).post(url, {"action": "cancel_workshop"}).status_code == 403
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(world.manager).post(url, {"action": "cancel_workshop"}).status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    event = next(iter(Calendar.from_ical(mailoutbox[0].attachments[0][1]).walk("VEVENT")))
    assert str(event["status"]) == "CANCELLED"
    assert client_for(world.manager).post(url, {"action": "cancel_workshop"}).status_code == 400
    with pytest.raises(CoachingError):
        workshops.register(workshop, name="C", email="c@example.org")
