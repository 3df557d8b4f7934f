"""The organiser's list of applications (filters, search, sort, pages), the detail page and
eligibility screening."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tremplin.calls.enums import ProgrammeState, QuestionKind
from tremplin.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _list(programme) -> str:
    return reverse("manage:applications", args=["mel", programme.slug])


def _detail(application) -> str:
    return reverse("manage:application", args=["mel", application.programme.slug, application.pk])


def _screen(application) -> str:
    return reverse(
        "manage:application_screen", args=["mel", application.programme.slug, application.pk]
    )


def _titles(response) -> list[str]:
    return [a.title for a in response.context["page"].object_list]


@pytest.fixture
def several(world):
    p = world.programme
    make = factories.SubmittedApplicationFactory
    maker = factories.UserFactory(email="camille@atelier.example", full_name="Camille Quixotte")
    return {
        "velo": make(
            programme=p,
            title="Vélo-cargo",
            category="Numérique",
            commune="Roubaix",
            maker_profile="student",
            eligibility="eligible",
            funding_goal=Decimal("9000"),
        ),
        "fablab": make(
            programme=p,
            title="Fablab mobile",
            summary="Un camion atelier",
            maker=maker,
            maker_name="",
            funding_goal=Decimal("2000"),
        ),
        "retire": make(programme=p, title="Projet retiré", state="withdrawn"),
        "brouillon": factories.ApplicationFactory(programme=p, title="Brouillon"),
    }


def test_list_shows_submitted_applications_only(world, several, en):
    response = en(world.viewer).get(_list(world.programme))
    assert response.status_code == 200
    titles = _titles(response)
    assert set(titles) == {world.application.title, "Vélo-cargo", "Fablab mobile"}
    html = response.content.decode()
    assert "Brouillon" not in html
    assert "Projet retiré" not in html
    assert "Camille Quixotte" in html  # the account's name when no name was given


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "withdrawn"}, {"Projet retiré"}),
        ({"state": "all", "q": "retiré"}, {"Projet retiré"}),
        ({"eligibility": "eligible"}, {"Vélo-cargo"}),
        ({"category": "Numérique"}, {"Vélo-cargo"}),
        ({"commune": "Roubaix"}, {"Vélo-cargo"}),
        ({"profile": "student"}, {"Vélo-cargo"}),
        ({"q": "cargo"}, {"Vélo-cargo"}),
        ({"q": "CAMION"}, {"Fablab mobile"}),  # summary, case-insensitive
        ({"q": "camille@atelier"}, {"Fablab mobile"}),  # maker's e-mail
        ({"q": "quixotte"}, {"Fablab mobile"}),  # maker's account name
        ({"q": "nothing like this"}, set()),
    ],
)
def test_filters_and_search(world, several, en, query, expected):
    response = en(world.viewer).get(_list(world.programme), query)
    assert response.status_code == 200
    assert set(_titles(response)) == expected


def test_search_by_maker_name(world, several, en):
    several["velo"].maker_name = "Dominique Zebulonne"
    several["velo"].save()
    response = en(world.viewer).get(_list(world.programme), {"q": "zebulonne"})
    assert _titles(response) == ["Vélo-cargo"]


def test_sort(world, several, en):
    client = en(world.viewer)
    titles = _titles(client.get(_list(world.programme), {"sort": "title"}))
    assert titles == sorted(titles)
    goals = [
        a.funding_goal
        for a in client.get(_list(world.programme), {"sort": "-goal"}).context["page"]
    ]
    assert goals == sorted(goals, reverse=True)


@pytest.mark.parametrize(
    "query",
    [
        {"state": "draft"},  # drafts are never listed
        {"eligibility": "maybe"},
        {"category": "Inconnue"},
        {"sort": "password"},
        {"q": "x" * 101},
    ],
)
def test_bad_filter_is_a_field_error(world, several, en, query):
    response = en(world.viewer).get(_list(world.programme), query)
    assert response.status_code == 400
    assert set(query) <= set(response.context["form"].errors)
    assert "Brouillon" not in response.content.decode()


def test_pagination_by_fifty(world, en):
    factories.SubmittedApplicationFactory.create_batch(50, programme=world.programme)
    client = en(world.viewer)
    first = client.get(_list(world.programme))
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.count == 51
    second = client.get(_list(world.programme), {"page": 2, "sort": "title"})
    assert len(second.context["page"].object_list) == 1
    assert client.get(_list(world.programme), {"page": "abc"}).status_code == 200


def test_list_has_no_n_plus_one(world, django_assert_max_num_queries, en):
    client = en(world.viewer)
    url = _list(world.programme)
    factories.SubmittedApplicationFactory(programme=world.programme)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(url).context["page"].object_list) == 2
    factories.SubmittedApplicationFactory.create_batch(28, programme=world.programme)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 30


def test_html_in_an_application_is_escaped(world, en):
    payload = '"><script>alert(1)</script>'
    application = factories.SubmittedApplicationFactory(
        programme=world.programme, title=payload, maker_name=payload, description=payload
    )
    for url in (_list(world.programme), _detail(application)):
        html = en(world.viewer).get(url).content.decode()
        assert payload not in html
        assert "&lt;script&gt;" in html


# --- detail ---------------------------------------------------------------------------------


def test_detail_shows_fields_answers_and_history(world, en):
    programme = world.programme
    application = world.application
    choice = factories.QuestionFactory(
        programme=programme,
        kind=QuestionKind.MULTIPLE_CHOICE,
        label_fr="Outils",
        choices="Scie | Saw\nPerceuse | Drill",
    )
    document = factories.QuestionFactory(
        programme=programme, kind=QuestionKind.FILE, label_fr="Devis"
    )
    factories.AnswerFactory(application=application, question=choice, value=["Scie", "Perceuse"])
    file_answer = factories.AnswerFactory(application=application, question=document, value=None)
    file_answer.file.save("devis-atelier.pdf", ContentFile(b"%PDF-1.4"), save=True)
    AuditLog.objects.create(
        action="tremplin.application.submitted",
        content_type_id=_ct(application),
        object_id=str(application.pk),
    )
    response = en(world.viewer).get(_detail(application))
    assert response.status_code == 200
    html = response.content.decode()
    assert application.title in html
    assert "Scie, Perceuse" in html
    file_url = reverse("calls:application_file", args=[application.pk, file_answer.pk])
    assert file_url in html
    labels = [q.label_fr for q, _a in response.context["answers"]]
    assert labels == ["Pourquoi ?", "Outils", "Devis"]
    assert [e.action for e in response.context["entries"]] == ["tremplin.application.submitted"]
    # read-only for a viewer
    assert _screen(application) not in html


def _ct(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_detail_navigates_within_the_filtered_list(world, several, en):
    client = en(world.viewer)
    query = {"sort": "title"}
    ordered = _titles(client.get(_list(world.programme), query))
    everyone = [world.application, *several.values()]
    middle = next(a for a in everyone if a.title == ordered[1])
    response = client.get(_detail(middle), query)
    assert response.context["position"] == 2
    assert response.context["total"] == 3
    html = response.content.decode()
    assert "sort=title" in html
    assert response.context["previous"] is not None and response.context["next"] is not None


def test_withdrawn_application_is_visible(world, several, en):
    response = en(world.viewer).get(_detail(several["retire"]))
    assert response.status_code == 200


# --- screening ------------------------------------------------------------------------------


@pytest.fixture
def closed(world):
    world.programme.state = ProgrammeState.CALL_CLOSED
    world.programme.save()
    return world


def test_screen_eligible(closed, en):
    application = closed.application
    response = en(closed.manager).post(_screen(application), {"decision": "eligible"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.eligibility == "eligible"
    assert application.screened_by == closed.manager
    assert AuditLog.objects.filter(action="tremplin.application.screened").count() == 1


def test_screen_ineligible_with_a_reason(closed, en):
    application = closed.application
    response = en(closed.manager).post(
        _screen(application) + "?sort=title",
        {"decision": "ineligible", "reason": "Le projet est hors du territoire."},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?sort=title")
    application.refresh_from_db()
    assert application.eligibility == "ineligible"
    assert application.eligibility_reason == "Le projet est hors du territoire."
    page = en(closed.viewer).get(_detail(application)).content.decode()
    assert "Le projet est hors du territoire." in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "decision"),
        ({"decision": "maybe"}, "decision"),
        ({"decision": "ineligible"}, "reason"),
        ({"decision": "ineligible", "reason": "   "}, "reason"),
        ({"decision": "ineligible", "reason": "r" * 2001}, "reason"),
    ],
)
def test_bad_screening_is_a_field_error(closed, en, data, field):
    application = closed.application
    response = en(closed.manager).post(_screen(application), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    application.refresh_from_db()
    assert application.eligibility == "pending"
    assert not AuditLog.objects.filter(action="tremplin.application.screened").exists()


def test_screening_waits_for_the_call_to_close(world, en):
    application = world.application
    response = en(world.manager).post(_screen(application), {"decision": "eligible"})
    assert response.status_code == 400
    assert "once the call is closed" in response.content.decode()
    application.refresh_from_db()
    assert application.eligibility == "pending"


def test_withdrawn_application_cannot_be_screened(closed, several, en):
    response = en(closed.manager).post(_screen(several["retire"]), {"decision": "eligible"})
    assert response.status_code == 400
    assert "Only submitted applications can be screened." in response.content.decode()
    several["retire"].refresh_from_db()
    assert several["retire"].eligibility == "pending"


# --- drafts are the maker's alone ---------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "submitted", "withdrawn"])
def test_the_team_reads_files_and_images_as_it_reads_the_detail(world, en, state):
    """Same rule for the detail page and its files: a draft is 404 for the organiser's
    team, its PDF answers and its images too; submitted and withdrawn ones are readable."""
    from tests.calls.helpers import image_bytes, pdf_bytes
    from tremplin.calls.models import ApplicationImage

    application = factories.ApplicationFactory(programme=world.programme, state=state)
    question = factories.QuestionFactory(programme=world.programme, kind=QuestionKind.FILE)
    answer = factories.AnswerFactory(application=application, question=question, value=None)
    answer.file.save("devis.pdf", ContentFile(pdf_bytes()), save=True)
    image = ApplicationImage(application=application, alt_text="Un vélo")
    image.image.save("photo.jpg", ContentFile(image_bytes()), save=True)
    urls = [
        _detail(application),
        reverse("calls:application_file", args=[application.pk, answer.pk]),
        reverse("calls:application_image", args=[application.pk, image.pk]),
    ]
    expected = 404 if state == "draft" else 200
    for user in (world.viewer, world.manager, world.admin):
        client = en(user)
        assert [client.get(url).status_code for url in urls] == [expected] * 3, user
    maker = en(application.maker)
    assert [maker.get(url).status_code for url in urls[1:]] == [200, 200]


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "9" * 40, "-1", "١"])
def test_list_and_detail_ignore_hostile_filters(world, en, value):
    """Every filter of the list answers its form's error (400) or ignores the value, and
    the detail's navigation (which reads the same query) falls back to the defaults: never
    a 500 (a NUL byte is a DataError on PostgreSQL, a huge number an OverflowError on
    SQLite)."""
    client = en(world.viewer)
    for name in ("q", "state", "eligibility", "category", "commune", "profile", "sort", "page"):
        response = client.get(_list(world.programme), {name: value})
        assert response.status_code in (200, 400), name
        assert client.get(_detail(world.application), {name: value}).status_code == 200, name
    for fmt in ("csv", "xlsx"):
        export = reverse("manage:applications_export", args=["mel", world.programme.slug, fmt])
        assert client.get(export, {"state": value}).status_code == 200
