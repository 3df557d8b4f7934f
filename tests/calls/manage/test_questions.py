"""The application form builder: custom questions added, edited, deleted and reordered."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import Answer, Question
from tremplin.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _url(name: str, programme, *args) -> str:
    return reverse(f"manage:{name}", args=["mel", programme.slug, *args])


def question_data(**overrides) -> dict:
    data = {
        "kind": "text",
        "label_fr": "Avez-vous déjà un atelier ?",
        "label_en": "Do you already have a workshop?",
        "help_fr": "Un lieu où vous fabriquez.",
        "help_en": "",
        "choices": "",
        "required": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_list_shows_questions_in_order_with_answer_counts(world, en):
    programme = world.programme
    second = factories.QuestionFactory(
        programme=programme, label_fr="Deuxième", position=world.question.position + 1
    )
    factories.AnswerFactory(application=world.application, question=second)
    response = en(world.viewer).get(_url("questions", programme))
    assert response.status_code == 200
    questions = response.context["questions"]
    assert [q.pk for q in questions] == [world.question.pk, second.pk]
    assert [q.answer_count for q in questions] == [0, 1]
    # a viewer gets no edit controls
    assert _url("question_create", programme) not in response.content.decode()


def test_add_a_question_at_the_end(world, en):
    programme = world.programme
    response = en(world.manager).post(_url("question_create", programme), question_data())
    assert response.status_code == 302
    question = Question.objects.get(label_fr="Avez-vous déjà un atelier ?")
    assert question.programme == programme
    assert question.required is True
    assert question.position > world.question.position
    entry = AuditLog.objects.get(action="tremplin.question.created")
    assert entry.object_id == str(programme.pk)  # shown in the programme's history
    assert entry.data["question"] == question.pk


def test_add_a_choice_question_normalises_choices(world, en):
    data = question_data(
        kind="single_choice",
        choices="  Oui |  Yes \n\nNon|No\nPeut-être",
    )
    response = en(world.manager).post(_url("question_create", world.programme), data)
    assert response.status_code == 302
    question = Question.objects.get(kind="single_choice")
    assert question.choices == "Oui | Yes\nNon | No\nPeut-être"


def test_choices_of_a_text_question_are_dropped(world, en):
    data = question_data(choices="A\nB")
    en(world.manager).post(_url("question_create", world.programme), data)
    assert Question.objects.get(label_fr=data["label_fr"]).choices == ""


BAD = {
    "empty": ({"kind": "", "label_fr": ""}, "kind"),
    "no french label": ({"label_fr": "   "}, "label_fr"),
    "long label": ({"label_fr": "q" * 301}, "label_fr"),
    "long english label": ({"label_en": "q" * 301}, "label_en"),
    "long help": ({"help_fr": "h" * 501}, "help_fr"),
    "unknown kind": ({"kind": "essay"}, "kind"),
    "choice without choices": ({"kind": "single_choice", "choices": ""}, "choices"),
    "one choice only": ({"kind": "multiple_choice", "choices": "Oui | Yes"}, "choices"),
    "choice without french": ({"kind": "single_choice", "choices": "| Yes\nNon"}, "choices"),
    "duplicate choice": ({"kind": "single_choice", "choices": "Oui\noui | yes"}, "choices"),
    "long choice": ({"kind": "single_choice", "choices": "a" * 151 + "\nb"}, "choices"),
    "too many choices": (
        {"kind": "single_choice", "choices": "\n".join(f"c{i}" for i in range(51))},
        "choices",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_question_is_a_field_error(world, en, case):
    overrides, field = BAD[case]
    count = Question.objects.count()
    response = en(world.manager).post(
        _url("question_create", world.programme), question_data(**overrides)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert Question.objects.count() == count
    assert not AuditLog.objects.filter(action="tremplin.question.created").exists()


def test_html_in_a_label_is_shown_escaped(world, en):
    payload = "<script>alert('q')</script>"
    en(world.manager).post(
        _url("question_create", world.programme), question_data(label_fr=payload)
    )
    html = en(world.manager).get(_url("questions", world.programme)).content.decode()
    assert payload not in html
    assert "&lt;script&gt;" in html


def test_edit_a_question_logs_the_changes(world, en):
    question = world.question
    url = _url("question_edit", world.programme, question.pk)
    data = question_data(kind=question.kind, label_fr="Nouvelle formulation", required="")
    response = en(world.manager).post(url, data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.label_fr == "Nouvelle formulation"
    assert question.required is False
    entry = AuditLog.objects.get(action="tremplin.question.changed")
    assert "label_fr" in entry.data["changed"]


def test_edit_with_bad_input_changes_nothing(world, en):
    question = world.question
    url = _url("question_edit", world.programme, question.pk)
    response = en(world.manager).post(url, question_data(label_fr=""))
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.label_fr == "Pourquoi ?"


def test_type_of_an_answered_question_cannot_change(world, en):
    question = world.question
    factories.AnswerFactory(application=world.application, question=question)
    url = _url("question_edit", world.programme, question.pk)
    response = en(world.manager).post(url, question_data(kind="number"))
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    question.refresh_from_db()
    assert question.kind == "text"


def test_delete_a_question_without_answers(world, en):
    question = world.question
    client = en(world.manager)
    confirm = client.get(_url("question_delete", world.programme, question.pk))
    assert confirm.status_code == 200
    response = client.post(_url("question_delete", world.programme, question.pk))
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    entry = AuditLog.objects.get(action="tremplin.question.deleted")
    assert entry.data["answers_deleted"] == 0


def test_deleting_a_question_with_answers_needs_confirmation(world, en):
    question = world.question
    for _ in range(3):
        application = factories.SubmittedApplicationFactory(programme=world.programme)
        factories.AnswerFactory(application=application, question=question)
    client = en(world.manager)
    url = _url("question_delete", world.programme, question.pk)
    page = client.get(url).content.decode()
    assert "3 answers will be lost" in page
    # without confirming the number of answers: asked again, nothing deleted
    response = client.post(url)
    assert response.status_code == 400
    assert "3 answers will be lost" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()
    # a stale confirmation (answers arrived since) is not enough either
    assert client.post(url, {"answers": "2"}).status_code == 400
    assert client.post(url, {"answers": "abc"}).status_code == 400
    assert Answer.objects.filter(question=question).count() == 3
    # confirmed
    response = client.post(url, {"answers": "3"})
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not Answer.objects.filter(question_id=question.pk).exists()
    assert AuditLog.objects.get(action="tremplin.question.deleted").data["answers_deleted"] == 3


def test_move_questions_up_and_down(world, en):
    programme = world.programme
    first = world.question
    second = factories.QuestionFactory(programme=programme, position=first.position + 1)
    third = factories.QuestionFactory(programme=programme, position=first.position + 2)
    client = en(world.manager)

    def order():
        return list(Question.objects.filter(programme=programme).values_list("pk", flat=True))

    response = client.post(_url("question_move", programme, third.pk, "up"))
    assert response.status_code == 302
    assert order() == [first.pk, third.pk, second.pk]
    client.post(_url("question_move", programme, first.pk, "down"))
    assert order() == [third.pk, first.pk, second.pk]
    client.post(_url("question_move", programme, third.pk, "up"))  # already first: no-op
    assert order() == [third.pk, first.pk, second.pk]
    assert AuditLog.objects.filter(action="tremplin.question.changed").count() == 2


def test_move_with_htmx_answers_the_list_only(world, en):
    second = factories.QuestionFactory(
        programme=world.programme, position=world.question.position + 1
    )
    response = en(world.manager).post(
        _url("question_move", world.programme, second.pk, "up"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="question-list">')
    assert "<html" not in html


def test_questions_cannot_change_once_the_call_is_closed(world, en):
    programme = world.programme
    programme.state = ProgrammeState.CALL_CLOSED
    programme.save()
    client = en(world.manager)
    question = world.question
    response = client.post(_url("question_create", programme), question_data())
    assert response.status_code == 400
    assert Question.objects.filter(programme=programme).count() == 1
    response = client.post(
        _url("question_edit", programme, question.pk), question_data(label_fr="Changée")
    )
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.label_fr == "Pourquoi ?"
    assert client.post(_url("question_delete", programme, question.pk)).status_code == 400
    assert client.post(_url("question_move", programme, question.pk, "up")).status_code == 400
    assert Question.objects.filter(pk=question.pk).exists()
    # the edit pages send back to the list
    assert client.get(_url("question_create", programme)).status_code == 302
    page = client.get(_url("questions", programme)).content.decode()
    assert _url("question_create", programme) not in page


def test_question_of_another_programme_is_404(world, en):
    other_question = factories.QuestionFactory(programme=world.other_programme)
    url = _url("question_edit", world.programme, other_question.pk)
    assert en(world.manager).get(url).status_code == 404
