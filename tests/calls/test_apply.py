"""The application form (calls:apply): drafts, submission, editing, refusals, bad input."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests import factories
from tests.calls.helpers import (
    english_client,
    image_bytes,
    jpeg_upload,
    jpeg_with_exif,
    noisy_png,
    pdf_upload,
    png_claiming_size,
    upload,
    valid_data,
)
from tremplin.calls.enums import ApplicationState, ProgrammeState, QuestionKind
from tremplin.calls.models import Answer, Application, ApplicationImage
from tremplin.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _url(programme):
    return reverse("calls:apply", args=[programme.slug])


def _errors(response) -> dict[str, list[str]]:
    """Field name → error codes of the re-rendered form."""
    form = response.context["form"]
    return {name: [e.code for e in errors] for name, errors in form.errors.as_data().items()}


def _post(client, programme, data, *, capture=None):
    if capture is None:
        return client.post(_url(programme), data)
    with capture(execute=True):
        return client.post(_url(programme), data)


# --- access --------------------------------------------------------------------------------


def test_visitor_is_sent_to_log_in_then_back(client, programme):
    response = client.get(_url(programme))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={_url(programme)}"
    response = client.post(_url(programme), valid_data())
    assert response.status_code == 302
    assert not Application.objects.exists()


@pytest.mark.parametrize("role", ["maker", "manager", "viewer", "other_manager"])
def test_logged_in_users_get_the_form(programme, role, request):
    user = request.getfixturevalue(role)
    response = english_client(user).get(_url(programme))
    assert response.status_code == 200
    assert response.context["form"] is not None


def test_draft_programme_is_not_found(organiser, maker):
    draft = factories.ProgrammeFactory(organiser=organiser, state=ProgrammeState.DRAFT)
    client = english_client(maker)
    assert client.get(_url(draft)).status_code == 404
    assert client.post(_url(draft), valid_data()).status_code == 404
    assert not Application.objects.exists()


def test_form_is_labelled_and_prefilled(programme, maker):
    maker.full_name = "Camille Martin"
    maker.save()
    html = english_client(maker).get(_url(programme)).content.decode()
    assert 'value="Camille Martin"' in html
    assert '<label class="field-label" for="id_title">Project title' in html
    assert '<select name="commune"' in html  # the programme lists its communes
    assert "Save draft" in html and "Submit my application" in html


def test_commune_is_free_text_without_a_list(organiser, maker):
    programme = factories.ProgrammeFactory(organiser=organiser, communes="")
    client = english_client(maker)
    assert '<input type="text" name="commune"' in client.get(_url(programme)).content.decode()
    response = _post(client, programme, valid_data(commune="Villeneuve-d'Ascq"))
    assert response.status_code == 302
    assert Application.objects.get().commune == "Villeneuve-d'Ascq"


# --- drafts and submission -----------------------------------------------------------------


def test_save_draft_needs_only_a_title(programme, maker, django_capture_on_commit_callbacks):
    client = english_client(maker)
    response = _post(
        client,
        programme,
        {"title": "Mon idée", "action": "draft"},
        capture=django_capture_on_commit_callbacks,
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:application", args=[application.pk])
    assert application.state == ApplicationState.DRAFT
    assert application.maker == maker
    assert application.funding_goal is None
    assert mail.outbox == []
    assert list(AuditLog.objects.values_list("action", flat=True)) == [
        "tremplin.application.created"
    ]


def test_draft_without_a_title_is_refused(programme, maker):
    response = _post(english_client(maker), programme, {"title": "", "action": "draft"})
    assert response.status_code == 400
    assert _errors(response) == {"title": ["required"]}
    assert not Application.objects.exists()


def test_submit(programme, maker, django_capture_on_commit_callbacks):
    client = english_client(maker)
    response = _post(client, programme, valid_data(), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at is not None
    assert application.funding_goal == Decimal("5000")
    assert application.budget == Decimal("8000.50")
    assert application.video_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert len(mail.outbox) == 1
    follow = client.get(response["Location"])
    assert "Your application is submitted" in follow.content.decode()


def test_submit_enforces_every_required_field(programme, maker):
    response = _post(english_client(maker), programme, {"title": "Mon idée", "action": "submit"})
    assert response.status_code == 400
    errors = _errors(response)
    for name in (
        "summary",
        "description",
        "category",
        "commune",
        "maker_profile",
        "maker_name",
        "funding_goal",
        "budget",
    ):
        assert errors[name] == ["required"], name
    assert "maker_phone" not in errors and "video_url" not in errors
    assert not Application.objects.exists()


def test_draft_then_submit(programme, maker):
    client = english_client(maker)
    _post(client, programme, valid_data(action="draft", budget=""))
    application = Application.objects.get()
    assert application.state == ApplicationState.DRAFT
    response = _post(client, programme, valid_data(action="submit", budget="9000"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.budget == Decimal("9000")
    assert Application.objects.count() == 1


def test_edit_after_submission_until_the_deadline(programme, maker):
    client = english_client(maker)
    _post(client, programme, valid_data())
    submitted_at = Application.objects.get().submitted_at
    html = client.get(_url(programme)).content.decode()
    assert "Save my changes" in html and "Save draft" not in html
    response = _post(client, programme, valid_data(title="Titre modifié", action="draft"))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.title == "Titre modifié"
    assert application.state == ApplicationState.SUBMITTED  # never goes back to draft
    assert application.submitted_at == submitted_at


def test_submitted_application_cannot_be_emptied(programme, maker):
    client = english_client(maker)
    _post(client, programme, valid_data())
    response = _post(client, programme, valid_data(summary="", action="draft"))
    assert response.status_code == 400
    assert _errors(response) == {"summary": ["required"]}
    assert Application.objects.get().summary


def _close(programme):
    programme.call_opens_at = timezone.now() - timedelta(days=40)
    programme.call_closes_at = timezone.now() - timedelta(seconds=1)
    programme.save()


def test_after_the_deadline_nothing_is_stored(programme, maker):
    _close(programme)
    client = english_client(maker)
    response = client.get(_url(programme))
    assert response.status_code == 200
    assert "The call for projects is closed" in response.content.decode()
    assert "<form" not in response.content.decode().split("<main", 1)[1]
    response = _post(client, programme, valid_data())
    assert response.status_code == 403
    assert "The call for projects is closed" in response.content.decode()
    assert not Application.objects.exists()
    assert not AuditLog.objects.exists()


def test_after_the_deadline_a_submitted_application_is_read_only(programme, maker):
    client = english_client(maker)
    _post(client, programme, valid_data())
    _close(programme)
    response = client.get(_url(programme))
    assert "can no longer be changed" in response.content.decode()
    response = _post(client, programme, valid_data(title="Trop tard"))
    assert response.status_code == 403
    assert Application.objects.get().title != "Trop tard"
    detail = client.get(reverse("calls:application", args=[Application.objects.get().pk]))
    assert "can no longer be changed" in detail.content.decode()


@pytest.mark.parametrize("state", [ProgrammeState.CALL_CLOSED, ProgrammeState.SCREENING])
def test_call_not_open_refuses(programme, maker, state):
    programme.state = state
    programme.save()
    response = _post(english_client(maker), programme, valid_data())
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_call_not_yet_open_refuses(programme, maker):
    programme.call_opens_at = timezone.now() + timedelta(days=2)
    programme.save()
    client = english_client(maker)
    assert "not open yet" in client.get(_url(programme)).content.decode()
    assert _post(client, programme, valid_data()).status_code == 403
    assert not Application.objects.exists()


def test_withdrawn_application_cannot_be_edited(programme, maker):
    factories.ApplicationFactory(
        programme=programme, maker=maker, state=ApplicationState.WITHDRAWN, title="Retirée"
    )
    response = _post(english_client(maker), programme, valid_data())
    assert response.status_code == 403
    assert Application.objects.get().title == "Retirée"


def test_one_application_per_maker(programme, maker):
    client = english_client(maker)
    _post(client, programme, valid_data(action="draft"))
    _post(client, programme, valid_data(action="draft", title="Autre"))
    assert Application.objects.count() == 1
    assert Application.objects.get().title == "Autre"
    other = factories.UserFactory()
    _post(english_client(other), programme, valid_data(action="draft"))
    assert Application.objects.count() == 2


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("title", "", "required"),
        ("title", "x" * 121, "max_length"),
        ("title", "Titre\x00nul", "null_characters_not_allowed"),
        ("summary", "x" * 301, "max_length"),
        ("description", "x" * 10001, "max_length"),
        ("category", "Piratage", "invalid_choice"),
        ("commune", "Paris", "invalid_choice"),
        ("maker_profile", "king", "invalid_choice"),
        ("maker_name", "x" * 151, "max_length"),
        ("maker_phone", "call me maybe", "phone"),
        ("maker_phone", "0" * 31, "max_length"),
        ("funding_goal", "-5", "goal_range"),
        ("funding_goal", "0", "goal_range"),
        ("funding_goal", "500", "goal_range"),
        ("funding_goal", "30 000,01", "goal_range"),
        ("funding_goal", "1e9", "invalid"),
        ("funding_goal", "abc", "invalid"),
        ("funding_goal", "NaN", "invalid"),
        ("funding_goal", "Infinity", "invalid"),
        ("funding_goal", "5000,123", "max_decimal_places"),
        ("funding_goal", "9" * 30, "invalid"),
        ("budget", "-1", "budget_range"),
        ("budget", "1 000 000,01", "budget_range"),
        ("budget", "1e3", "invalid"),
        ("video_url", "javascript:alert(1)", "video_https"),
        ("video_url", "http://www.youtube.com/watch?v=dQw4w9WgXcQ", "video_https"),
        ("video_url", "https://evil.example.com/watch?v=dQw4w9WgXcQ", "video_url"),
        ("video_url", "https://www.youtube.com/watch?v=nope", "video_url"),
        ("video_url", "https://www.youtube.com/watch?v=" + "a" * 300, "max_length"),
    ],
)
def test_bad_standard_field(programme, maker, field, value, code):
    response = _post(english_client(maker), programme, valid_data(**{field: value}))
    assert response.status_code == 400
    assert _errors(response) == {field: [code]}
    assert not Application.objects.exists()
    # the error is shown next to its field, linked for assistive technologies
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in html or (
        f'aria-describedby="id_{field}_error"' in html
    )


@pytest.mark.parametrize(
    ("goal", "expected"),
    [
        ("5000", "5000"),
        ("5 000", "5000"),
        ("5\u00a0000", "5000"),
        ("5\u202f000,50", "5000.50"),
        ("12 500,5", "12500.5"),
        ("1000", "1000"),
        ("30000", "30000"),
        ("5,000.25", "5000.25"),
        ("5.000,25", "5000.25"),
        ("5000 €", "5000"),
    ],
)
def test_goal_in_french_or_english_format(programme, maker, goal, expected):
    response = _post(english_client(maker), programme, valid_data(funding_goal=goal))
    assert response.status_code == 302
    assert Application.objects.get().funding_goal == Decimal(expected)


def test_budget_zero_is_accepted(programme, maker):
    assert _post(english_client(maker), programme, valid_data(budget="0")).status_code == 302


def test_html_and_script_are_shown_escaped(programme, maker):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    question = factories.QuestionFactory(programme=programme, kind=QuestionKind.LONG_TEXT)
    client = english_client(maker)
    response = _post(
        client,
        programme,
        valid_data(
            title=payload[:120],
            summary=payload,
            description=payload,
            maker_name=payload[:150],
            **{f"q_{question.pk}": payload},
        ),
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.summary == payload  # stored as typed…
    for url in (
        reverse("calls:application", args=[application.pk]),
        _url(programme),
        reverse("calls:my_applications"),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url  # …shown escaped
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;alert(" in html, url


def test_error_form_keeps_the_typed_values_escaped(programme, maker):
    response = _post(
        english_client(maker),
        programme,
        valid_data(title='"><script>alert(1)</script>', funding_goal="abc"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html


# --- images --------------------------------------------------------------------------------


def test_images_are_stored_reencoded_without_exif(programme, maker):
    data = valid_data(
        new_image_1=upload("IMG_0001.JPG", jpeg_with_exif(size=(40, 20)), "image/jpeg"),
        new_image_1_alt="Le vélo cargo",
        new_image_2=upload("b.png", image_bytes("PNG"), "image/png"),
        new_image_3=upload("c.webp", image_bytes("WEBP"), "image/webp"),
    )
    response = _post(english_client(maker), programme, data)
    assert response.status_code == 302
    images = list(Application.objects.get().images.all())
    assert [image.alt_text for image in images] == ["Le vélo cargo", "", ""]
    first = images[0]
    assert first.image.name.startswith("applications/images/")
    assert "IMG_0001" not in first.image.name
    with first.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
    assert stored.format == "JPEG"
    assert len(stored.getexif()) == 0
    assert stored.size == (20, 40)
    assert [Image.open(i.image.path).format for i in images[1:]] == ["PNG", "WEBP"]


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("photo.jpg", b"I am a text file, not a photo.", "invalid_image"),
        ("anim.gif", image_bytes("GIF"), "invalid_image"),
        ("bomb.png", png_claiming_size(60_000, 60_000), "image_too_many_pixels"),
        ("doc.jpg", b"%PDF-1.4\n", "invalid_image"),
    ],
)
def test_bad_image_is_refused(programme, maker, name, content, code):
    data = valid_data(new_image_2=upload(name, content, "image/jpeg"))
    response = _post(english_client(maker), programme, data)
    assert response.status_code == 400
    assert _errors(response) == {"new_image_2": [code]}
    assert not Application.objects.exists()
    assert not ApplicationImage.objects.exists()


def test_oversized_image_is_refused(programme, maker, settings):
    content = noisy_png(1400)
    assert len(content) > settings.TREMPLIN_MAX_IMAGE_BYTES
    response = _post(
        english_client(maker), programme, valid_data(new_image_1=upload("big.png", content))
    )
    assert response.status_code == 400
    assert _errors(response) == {"new_image_1": ["file_too_large"]}
    assert not Application.objects.exists()


def _attach_images(application, count):
    for index in range(count):
        image = ApplicationImage(application=application, position=index)
        image.image.save(f"{index}.jpg", ContentFile(image_bytes()), save=True)


def test_too_many_images(programme, maker, settings):
    application = factories.ApplicationFactory(programme=programme, maker=maker, title="Avant")
    _attach_images(application, settings.TREMPLIN_MAX_IMAGES_PER_APPLICATION - 1)
    data = valid_data(new_image_1=jpeg_upload(), new_image_2=jpeg_upload())
    response = _post(english_client(maker), programme, data)
    assert response.status_code == 400
    assert _errors(response) == {"new_image_2": ["too_many_images"]}
    application.refresh_from_db()
    assert application.title == "Avant"
    assert application.images.count() == settings.TREMPLIN_MAX_IMAGES_PER_APPLICATION - 1


def test_remove_one_image_to_add_another(programme, maker, settings):
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    _attach_images(application, settings.TREMPLIN_MAX_IMAGES_PER_APPLICATION)
    first = application.images.first()
    data = valid_data(new_image_1=jpeg_upload(), **{f"image_{first.pk}_remove": "on"})
    response = _post(english_client(maker), programme, data)
    assert response.status_code == 302
    assert application.images.count() == settings.TREMPLIN_MAX_IMAGES_PER_APPLICATION
    assert not application.images.filter(pk=first.pk).exists()


def test_image_description_can_be_changed(programme, maker):
    application = factories.ApplicationFactory(programme=programme, maker=maker)
    _attach_images(application, 1)
    image = application.images.get()
    data = valid_data(**{f"image_{image.pk}_alt": "Mon atelier"})
    assert _post(english_client(maker), programme, data).status_code == 302
    image.refresh_from_db()
    assert image.alt_text == "Mon atelier"
    html = english_client(maker).get(reverse("calls:application", args=[application.pk]))
    assert 'alt="Mon atelier"' in html.content.decode()


def test_image_description_too_long(programme, maker):
    data = valid_data(new_image_1=jpeg_upload(), new_image_1_alt="x" * 201)
    response = _post(english_client(maker), programme, data)
    assert response.status_code == 400
    assert _errors(response) == {"new_image_1_alt": ["max_length"]}
    assert not ApplicationImage.objects.exists()


def test_images_of_another_application_cannot_be_touched(programme, maker):
    other = factories.ApplicationFactory(programme=programme)
    _attach_images(other, 1)
    foreign = other.images.get()
    data = valid_data(**{f"image_{foreign.pk}_remove": "on", f"image_{foreign.pk}_alt": "pwned"})
    assert _post(english_client(maker), programme, data).status_code == 302
    foreign.refresh_from_db()
    assert foreign.alt_text == ""


# --- custom questions ----------------------------------------------------------------------


@pytest.fixture
def questions(programme):
    def make(kind, required, **extra):
        return factories.QuestionFactory(programme=programme, kind=kind, required=required, **extra)

    choices = "Oui, déjà | Yes, already\nPas encore | Not yet\nJamais | Never"
    return {
        "text": make(
            QuestionKind.TEXT, True, label_fr="Votre atelier ?", label_en="Your workshop?"
        ),
        "text_opt": make(QuestionKind.TEXT, False),
        "long": make(QuestionKind.LONG_TEXT, True, help_fr="Aide", help_en="Some help"),
        "long_opt": make(QuestionKind.LONG_TEXT, False),
        "single": make(QuestionKind.SINGLE_CHOICE, True, choices=choices),
        "single_opt": make(QuestionKind.SINGLE_CHOICE, False, choices=choices),
        "multiple": make(QuestionKind.MULTIPLE_CHOICE, True, choices=choices),
        "multiple_opt": make(QuestionKind.MULTIPLE_CHOICE, False, choices=choices),
        "number": make(QuestionKind.NUMBER, True),
        "number_opt": make(QuestionKind.NUMBER, False),
        "yes_no": make(QuestionKind.YES_NO, True),
        "yes_no_opt": make(QuestionKind.YES_NO, False),
        "file": make(QuestionKind.FILE, True),
        "file_opt": make(QuestionKind.FILE, False),
    }


def _answers(questions):
    return {
        f"q_{questions['text'].pk}": "Un garage",
        f"q_{questions['long'].pk}": "Ligne 1\nLigne 2",
        f"q_{questions['single'].pk}": "Pas encore",
        f"q_{questions['multiple'].pk}": ["Oui, déjà", "Jamais"],
        f"q_{questions['number'].pk}": "12,5",
        f"q_{questions['yes_no'].pk}": "no",
        f"q_{questions['file'].pk}": pdf_upload(),
    }


def test_every_kind_of_question_is_asked_in_the_users_language(programme, maker, questions):
    client = english_client(maker)
    html = client.get(_url(programme)).content.decode()
    assert "Your workshop?" in html
    assert "Some help" in html
    assert "Not yet" in html
    assert f'type="radio" name="q_{questions["yes_no"].pk}" value="yes"' in html
    assert f'type="checkbox" name="q_{questions["multiple"].pk}"' in html
    assert f'type="file" name="q_{questions["file"].pk}" accept="application/pdf,.pdf"' in html
    french = client.get(_url(programme), headers={"accept-language": "fr"}).content.decode()
    assert "Votre atelier ?" in french


def test_required_questions_are_answered(programme, maker, questions):
    client = english_client(maker)
    response = _post(client, programme, valid_data(**_answers(questions)))
    assert response.status_code == 302, _errors(response)
    application = Application.objects.get()
    assert application.state == ApplicationState.SUBMITTED
    values = {a.question_id: a for a in Answer.objects.filter(application=application)}
    assert values[questions["text"].pk].value == "Un garage"
    assert values[questions["long"].pk].value == "Ligne 1\nLigne 2"
    assert values[questions["single"].pk].value == "Pas encore"
    assert values[questions["multiple"].pk].value == ["Oui, déjà", "Jamais"]
    assert values[questions["number"].pk].value == "12.5"
    assert values[questions["yes_no"].pk].value is False
    stored = values[questions["file"].pk].file
    assert stored.name.startswith("applications/files/")
    assert stored.name.endswith(".pdf") and "dossier" not in stored.name
    for optional in ("text_opt", "long_opt", "single_opt", "multiple_opt", "number_opt"):
        assert values[questions[optional].pk].value is None
    assert values[questions["yes_no_opt"].pk].value is None
    assert not values[questions["file_opt"].pk].file
    # shown back to the maker
    html = client.get(reverse("calls:application", args=[application.pk])).content.decode()
    assert "Yes, already, Never" in html  # stored in French, shown in the reader's language
    assert "Not yet" in html
    assert "12.5" in html
    french = client.get(
        reverse("calls:application", args=[application.pk]), headers={"accept-language": "fr"}
    ).content.decode()
    assert "Oui, déjà, Jamais" in french
    assert "12,5" in french
    assert (
        reverse("calls:application_file", args=[application.pk, values[questions["file"].pk].pk])
        in html
    )


def test_required_questions_are_enforced_on_submit_only(programme, maker, questions):
    client = english_client(maker)
    response = _post(client, programme, valid_data())
    assert response.status_code == 400
    required = {f"q_{q.pk}" for key, q in questions.items() if not key.endswith("_opt")}
    assert set(_errors(response)) == required
    assert all(codes == ["required"] for codes in _errors(response).values())
    assert not Application.objects.exists()
    response = _post(client, programme, valid_data(action="draft"))
    assert response.status_code == 302
    assert Application.objects.get().state == ApplicationState.DRAFT


def test_existing_file_satisfies_a_required_file_question(programme, maker, questions):
    client = english_client(maker)
    _post(client, programme, valid_data(**_answers(questions)))
    answers = _answers(questions)
    answers.pop(f"q_{questions['file'].pk}")
    response = _post(client, programme, valid_data(title="Encore", **answers))
    assert response.status_code == 302
    answer = Answer.objects.get(question=questions["file"])
    assert answer.file


def test_optional_file_can_be_removed(programme, maker, questions):
    client = english_client(maker)
    answers = _answers(questions)
    answers[f"q_{questions['file_opt'].pk}"] = pdf_upload("annexe.pdf")
    _post(client, programme, valid_data(**answers))
    answer = Answer.objects.get(question=questions["file_opt"])
    assert answer.file
    answers = _answers(questions)
    answers.pop(f"q_{questions['file'].pk}")
    answers[f"q_{questions['file_opt'].pk}_clear"] = "on"
    assert _post(client, programme, valid_data(**answers)).status_code == 302
    answer.refresh_from_db()
    assert not answer.file


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("text", "x" * 501, "max_length"),
        ("long", "x" * 5001, "max_length"),
        ("single", "Peut-être", "invalid_choice"),
        ("multiple", ["Oui, déjà", "Autre"], "invalid_choice"),
        ("number", "abc", "invalid"),
        ("number", "1e5", "invalid"),
        ("yes_no", "maybe", "invalid_choice"),
        ("file", "not-a-file", "required"),
    ],
)
def test_bad_answers(programme, maker, questions, key, value, code):
    answers = _answers(questions)
    answers[f"q_{questions[key].pk}"] = value
    response = _post(english_client(maker), programme, valid_data(**answers))
    assert response.status_code == 400
    assert _errors(response) == {f"q_{questions[key].pk}": [code]}
    assert not Application.objects.exists()
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not a pdf at all", "invalid_pdf"),
        (image_bytes("JPEG"), "invalid_pdf"),
        (b"%PDF-1.4\ngarbage", "invalid_pdf"),
    ],
)
def test_bad_pdf_is_refused(programme, maker, questions, content, code):
    answers = _answers(questions)
    answers[f"q_{questions['file'].pk}"] = upload("dossier.pdf", content, "application/pdf")
    response = _post(english_client(maker), programme, valid_data(**answers))
    assert response.status_code == 400
    assert _errors(response) == {f"q_{questions['file'].pk}": [code]}
    assert not Application.objects.exists()


def test_oversized_pdf_is_refused(programme, maker, questions, settings):
    settings.TREMPLIN_MAX_PDF_BYTES = 2048
    answers = _answers(questions)
    answers[f"q_{questions['file'].pk}"] = upload(
        "big.pdf", b"%PDF-1.4\n" + b"0" * 4096, "application/pdf"
    )
    response = _post(english_client(maker), programme, valid_data(**answers))
    assert response.status_code == 400
    assert _errors(response) == {f"q_{questions['file'].pk}": ["file_too_large"]}


def test_questions_of_another_programme_are_ignored(programme, maker):
    foreign = factories.QuestionFactory(required=True)
    response = _post(english_client(maker), programme, valid_data(**{f"q_{foreign.pk}": "x"}))
    assert response.status_code == 302
    assert not Answer.objects.exists()
