"""Programme list, creation and settings in the organiser's back-office."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.calls.helpers import image_bytes, pdf_bytes, upload
from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import Programme
from tremplin.core.colours import contrast_ratio
from tremplin.core.models import AuditLog

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
CREATE = reverse("manage:programme_create", args=["mel"])


def programme_data(**overrides) -> dict:
    data = {
        "name": "MEL Makers 2031",
        "slug": "mel-makers-2031",
        "tagline": "Les makers de la métropole",
        "description": "Un appel à projets pour les makers.",
        "communes": "Lille\n  Roubaix \n\nLille\nTourcoing",
        "categories": "Artisanat\nNumérique",
        "maker_profiles": ["entrepreneur", "student"],
        "call_opens_at": "2031-03-01T09:00",
        "call_closes_at": "2031-04-30T12:00",
        "jury_starts_at": "2031-05-02T09:00",
        "jury_ends_at": "2031-05-20T18:00",
        "results_at": "2031-05-20T18:00",
        "campaigns_start_at": "2031-09-09T00:00",
        "campaigns_end_at": "2031-10-18T23:59",
        "min_goal": "1 000",
        "max_goal": "30 000,50",
        "primary_colour": "#0b5fa5",
        "secondary_colour": "#E4572E",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


# --- list -----------------------------------------------------------------------------------


def test_list_shows_programmes_with_counts(world, en):
    factories.ApplicationFactory(programme=world.programme)  # a draft
    factories.SubmittedApplicationFactory(programme=world.programme, eligibility="eligible")
    response = en(world.viewer).get(reverse("manage:programmes", args=["mel"]))
    assert response.status_code == 200
    rows = {p.slug: p for p in response.context["programmes"]}
    assert set(rows) == {"mel-makers-2020"}  # not the other organiser's
    row = rows["mel-makers-2020"]
    assert (row.draft_count, row.submitted_count, row.eligible_count) == (1, 2, 1)
    assert "autre-2020" not in response.content.decode()


def _programmes_with_applications(organiser, count: int) -> None:
    for index in range(count):
        programme = factories.ProgrammeFactory(organiser=organiser, slug=f"p-{count}-{index}")
        factories.SubmittedApplicationFactory(programme=programme)


def test_list_has_no_n_plus_one(organiser, manager, django_assert_max_num_queries):
    client = factories_client(manager)
    url = reverse("manage:programmes", args=["mel"])
    _programmes_with_applications(organiser, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _programmes_with_applications(organiser, 18)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["programmes"]) == 20


def factories_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


# --- create ---------------------------------------------------------------------------------


def test_create_a_programme(world, en):
    partner = world.partner
    data = programme_data(partners=[partner.pk])
    response = en(world.manager).post(CREATE, data)
    assert response.status_code == 302, response.context["form"].errors
    programme = Programme.objects.get(slug="mel-makers-2031")
    assert response["Location"] == reverse("manage:programme", args=["mel", programme.slug])
    assert programme.organiser == world.organiser
    assert programme.state == ProgrammeState.DRAFT
    assert programme.call_opens_at == paris(2031, 3, 1, 9, 0)
    assert programme.call_opens_at.astimezone(datetime.UTC).hour == 8  # stored in UTC
    assert programme.call_closes_at == paris(2031, 4, 30, 12, 0)
    assert programme.results_at == programme.jury_ends_at  # "≤" allows equal dates
    assert programme.min_goal == Decimal("1000")
    assert programme.max_goal == Decimal("30000.50")
    assert programme.communes == "Lille\nRoubaix\nTourcoing"
    assert programme.categories == "Artisanat\nNumérique"
    assert programme.maker_profiles == ["entrepreneur", "student"]
    assert programme.primary_colour == "#0B5FA5"
    assert list(programme.partners.all()) == [partner]
    entry = AuditLog.objects.get(action="tremplin.programme.created")
    assert entry.user == world.manager
    assert entry.organiser_id == world.organiser.pk
    assert {"name", "slug", "call_opens_at", "partners"} <= set(entry.data["changed"])


def test_create_with_logo_and_rules(world, en):
    data = programme_data(
        logo=upload("logo.png", image_bytes("PNG", colour=(1, 2, 3, 0)), "image/png"),
        rules_document=upload("règlement.pdf", pdf_bytes(2), "application/pdf"),
    )
    response = en(world.manager).post(CREATE, data)
    assert response.status_code == 302, response.context["form"].errors
    programme = Programme.objects.get(slug="mel-makers-2031")
    assert programme.logo.name.startswith("public/programmes/")
    assert programme.logo.name.endswith(".png")
    assert programme.rules_document.name.startswith("public/rules/")
    assert programme.rules_document.read().startswith(b"%PDF-")


def test_create_form_is_offered_with_sensible_defaults(world, en):
    response = en(world.manager).get(CREATE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="datetime-local"' in html
    assert "Lille Makers" in html  # our partner is offered…
    assert "Autre partenaire" not in html  # …not the other organiser's


# --- bad input ------------------------------------------------------------------------------

BIG = 2 * 1024 * 1024 + 1


def _bad_cases():
    long_name = "x" * 151
    return {
        "empty name": ({"name": ""}, "name"),
        "long name": ({"name": long_name}, "name"),
        "long tagline": ({"tagline": "t" * 201}, "tagline"),
        "long description": ({"description": "d" * 10001}, "description"),
        "bad slug": ({"slug": "mel makers!"}, "slug"),
        "slug of another organiser": ({"slug": "autre-2020"}, "slug"),
        "no category": ({"categories": "\n   \n"}, "categories"),
        "long category": ({"categories": "Artisanat\n" + "c" * 101}, "categories"),
        "long commune": ({"communes": "l" * 101}, "communes"),
        "unknown profile": ({"maker_profiles": ["astronaut"]}, "maker_profiles"),
        "no opening": ({"call_opens_at": ""}, "call_opens_at"),
        "not a date": ({"call_closes_at": "demain"}, "call_closes_at"),
        "impossible date": ({"call_closes_at": "2031-02-30T10:00"}, "call_closes_at"),
        "time skipped by daylight saving": (
            {"call_closes_at": "2031-03-30T02:30"},
            "call_closes_at",
        ),
        "deadline before opening": ({"call_closes_at": "2031-02-01T09:00"}, "call_closes_at"),
        "deadline equals opening": ({"call_closes_at": "2031-03-01T09:00"}, "call_closes_at"),
        "jury before deadline": ({"jury_starts_at": "2031-04-30T11:59"}, "jury_starts_at"),
        "jury ends when it starts": ({"jury_ends_at": "2031-05-02T09:00"}, "jury_ends_at"),
        "results before jury end": ({"results_at": "2031-05-19T09:00"}, "results_at"),
        "campaigns start before results": (
            {"campaigns_start_at": "2031-05-20T17:00"},
            "campaigns_start_at",
        ),
        "campaigns end when they start": (
            {"campaigns_end_at": "2031-09-09T00:00"},
            "campaigns_end_at",
        ),
        "campaigns before deadline, jury dates skipped": (
            {
                "jury_starts_at": "",
                "jury_ends_at": "",
                "results_at": "",
                "campaigns_start_at": "2031-04-01T00:00",
            },
            "campaigns_start_at",
        ),
        "goal not a number": ({"min_goal": "beaucoup"}, "min_goal"),
        "goal zero": ({"min_goal": "0"}, "min_goal"),
        "goal too precise": ({"min_goal": "10,555"}, "min_goal"),
        "goal too big": ({"max_goal": "2 000 000"}, "max_goal"),
        "min above max": ({"min_goal": "5000", "max_goal": "4999,99"}, "max_goal"),
        "colour name": ({"primary_colour": "blue"}, "primary_colour"),
        "short colour": ({"secondary_colour": "#12345"}, "secondary_colour"),
        "colour with script": (
            {"secondary_colour": "#fff;}</style><script>"},
            "secondary_colour",
        ),
        "low contrast": ({"primary_colour": "#FFD700"}, "primary_colour"),
        "logo not an image": (
            {"logo": upload("logo.png", b"not an image at all", "image/png")},
            "logo",
        ),
        "logo gif": ({"logo": upload("logo.gif", image_bytes("GIF"), "image/gif")}, "logo"),
        "logo too big": ({"logo": upload("logo.png", b"\x89PNG" + b"0" * BIG)}, "logo"),
        "rules not a pdf": (
            {"rules_document": upload("r.pdf", b"hello", "application/pdf")},
            "rules_document",
        ),
        "rules with a fake header": (
            {"rules_document": upload("r.pdf", b"%PDF-1.7\ngarbage", "application/pdf")},
            "rules_document",
        ),
        # Issue #9: a number wider than 64 bits was a 500 on SQLite (OverflowError).
        "partner id too big": ({"partners": ["9" * 40]}, "partners"),
        "partner id with a NUL byte": ({"partners": ["\x00"]}, "partners"),
        "partner id not a number": ({"partners": ["1.5"]}, "partners"),
        "rules too big": (
            {"rules_document": upload("r.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))},
            "rules_document",
        ),
    }


BAD = _bad_cases()


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_on_create_is_a_field_error(world, en, case):
    overrides, field = BAD[case]
    response = en(world.manager).post(CREATE, programme_data(**overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert not Programme.objects.filter(slug="mel-makers-2031").exists()
    assert not AuditLog.objects.filter(action="tremplin.programme.created").exists()
    # the error is shown next to its field, tied to it for screen readers
    assert f'id="id_{field}_error"' in response.content.decode()


def test_forged_partner_of_another_organiser_is_refused(world, en):
    data = programme_data(partners=[world.partner.pk, world.other_partner.pk])
    response = en(world.manager).post(CREATE, data)
    assert response.status_code == 400
    assert "partners" in response.context["form"].errors
    assert not Programme.objects.filter(slug="mel-makers-2031").exists()


def test_low_contrast_message_explains(world, en):
    response = en(world.manager).post(CREATE, programme_data(primary_colour="#FFD700"))
    message = response.context["form"].errors["primary_colour"][0]
    assert "contrast" in message and "4.5:1" in message
    assert "1.4" in message  # the ratio of gold on white, 1.40:1


def test_date_order_message_names_the_previous_date(world, en):
    response = en(world.manager).post(CREATE, programme_data(jury_ends_at="2031-05-01T09:00"))
    message = response.context["form"].errors["jury_ends_at"][0]
    assert "jury starts" in message


def test_empty_post_is_refused_with_errors(world, en):
    response = en(world.manager).post(CREATE, {})
    assert response.status_code == 400
    errors = response.context["form"].errors
    for field in ("name", "slug", "description", "categories", "call_opens_at"):
        assert field in errors
    assert Programme.objects.count() == 2


def test_html_payload_is_shown_escaped(world, en):
    payload = '<script>alert("x")</script>'
    response = en(world.manager).post(
        CREATE, programme_data(name=payload, tagline=payload, primary_colour="bad")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert payload not in html
    assert "&lt;script&gt;" in html


def test_french_and_english_amounts_are_understood(world, en):
    response = en(world.manager).post(
        CREATE, programme_data(min_goal="1250.5", max_goal="12\u202f500,00 €")
    )
    assert response.status_code == 302
    programme = Programme.objects.get(slug="mel-makers-2031")
    assert (programme.min_goal, programme.max_goal) == (Decimal("1250.50"), Decimal("12500"))


# --- edit -----------------------------------------------------------------------------------


def _edit_url(programme) -> str:
    return reverse("manage:programme_edit", args=["mel", programme.slug])


def _current_data(programme, **overrides) -> dict:
    def local(value):
        return timezone.localtime(value, PARIS).strftime("%Y-%m-%dT%H:%M") if value else ""

    data = {
        "name": programme.name,
        "slug": programme.slug,
        "tagline": programme.tagline,
        "description": programme.description,
        "communes": programme.communes,
        "categories": programme.categories,
        "call_opens_at": local(programme.call_opens_at),
        "call_closes_at": local(programme.call_closes_at),
        "min_goal": str(programme.min_goal),
        "max_goal": str(programme.max_goal),
        "primary_colour": programme.primary_colour,
        "secondary_colour": programme.secondary_colour,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("hostile", ["9" * 40, "\x00", "-5", "abc"])
def test_a_hostile_partner_id_on_edit_is_a_field_error(world, en, hostile):
    before = Programme.objects.get(pk=world.programme.pk).updated_at
    data = _current_data(world.programme, partners=[world.partner.pk, hostile])
    response = en(world.manager).post(_edit_url(world.programme), data)
    assert response.status_code == 400
    assert "partners" in response.context["form"].errors
    assert Programme.objects.get(pk=world.programme.pk).updated_at == before


def test_edit_logs_the_changed_fields(world, en):
    programme = world.programme
    response = en(world.manager).post(
        _edit_url(programme), _current_data(programme, tagline="Nouvelle accroche")
    )
    assert response.status_code == 302, response.context["form"].errors
    programme.refresh_from_db()
    assert programme.tagline == "Nouvelle accroche"
    assert programme.state == ProgrammeState.CALL_OPEN  # settings never change the state
    entry = AuditLog.objects.get(action="tremplin.programme.changed")
    assert "tagline" in entry.data["changed"]
    assert "name" not in entry.data["changed"]
    assert entry.data["changed"]["tagline"] == "Nouvelle accroche"


def test_edit_form_shows_paris_times_and_french_amounts(world):
    programme = world.programme
    programme.call_closes_at = paris(2031, 7, 14, 23, 30)
    programme.min_goal = Decimal("1500.50")
    programme.save()
    html = factories_client(world.manager).get(_edit_url(programme)).content.decode()
    assert 'value="2031-07-14T23:30"' in html
    assert 'value="1500,50"' in html


def test_deadline_cannot_move_into_the_past_while_the_call_is_open(world, en):
    programme = world.programme
    before = programme.call_closes_at
    past = (timezone.localtime(timezone.now(), PARIS) - datetime.timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    opens = (timezone.localtime(timezone.now(), PARIS) - datetime.timedelta(days=3)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = en(world.manager).post(
        _edit_url(programme), _current_data(programme, call_opens_at=opens, call_closes_at=past)
    )
    assert response.status_code == 400
    assert "call_closes_at" in response.context["form"].errors
    programme.refresh_from_db()
    assert programme.call_closes_at == before


def test_deadline_can_move_into_the_past_while_draft(world, en):
    programme = world.programme
    programme.state = ProgrammeState.DRAFT
    programme.save()
    response = en(world.manager).post(
        _edit_url(programme),
        _current_data(
            programme, call_opens_at="2020-01-01T09:00", call_closes_at="2020-02-01T09:00"
        ),
    )
    assert response.status_code == 302


def test_invalid_edit_changes_nothing(world, en):
    programme = world.programme
    response = en(world.manager).post(
        _edit_url(programme), _current_data(programme, name="", slug="autre-2020")
    )
    assert response.status_code == 400
    # the page keeps its own address whatever slug was typed
    html = response.content.decode()
    assert f'action="{_edit_url(programme)}"' in html
    programme.refresh_from_db()
    assert programme.name and programme.slug == "mel-makers-2020"
    assert not AuditLog.objects.filter(action="tremplin.programme.changed").exists()


def test_changing_the_slug_moves_the_programme(world, en):
    programme = world.programme
    response = en(world.manager).post(
        _edit_url(programme), _current_data(programme, slug="mel-makers-2020-bis")
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/programmes/mel-makers-2020-bis/")


def test_saved_html_is_escaped_on_the_dashboard(world, en):
    programme = world.programme
    payload = "<img src=x onerror=alert(1)>"
    programme.tagline = payload
    programme.name = payload
    programme.save()
    html = en(world.viewer).get(reverse("manage:programme", args=["mel", programme.slug]))
    text = html.content.decode()
    assert payload not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_contrast_ratio_matches_wcag_examples():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#0B5FA5", "#FFFFFF") > 4.5


def test_daylight_saving_gap_has_a_clear_message(world, en):
    response = en(world.manager).post(CREATE, programme_data(call_closes_at="2031-03-30T02:30"))
    assert "summer time" in response.context["form"].errors["call_closes_at"][0]
