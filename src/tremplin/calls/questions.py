"""The application form's verbs: add, change, delete and move the custom questions of a
programme, while its form may still change (``calls.rules.questions_editable``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tremplin.calls.models import Programme, Question
from tremplin.calls.programmes import TransitionError
from tremplin.calls.rules import questions_editable
from tremplin.core.audit import log_action


class QuestionHasAnswers(TransitionError):
    """Deleting this question would delete answers: the user must confirm their number."""

    def __init__(self, count: int):
        super().__init__(
            _("This question already has %(count)d answers: confirm to delete them.")
            % {"count": count}
        )
        self.count = count


def ensure_questions_editable(programme: Programme) -> None:
    if not questions_editable(programme):
        raise TransitionError(
            _(
                "The application form can only be changed while the programme is a draft "
                "or its call is open."
            )
        )


def _log_question(action: str, question, *, user, data: dict[str, Any]) -> None:
    log_action(
        action,
        obj=question.programme,
        user=user,
        data={"question": question.pk, "label": question.label_fr, **data},
    )


def save_question(question, *, user, changed: list[str], created: bool = False):
    """Add a custom question (at the end of the form) or save changes to one."""
    ensure_questions_editable(question.programme)
    with transaction.atomic():
        if created:
            last = (
                Question.objects.filter(programme_id=question.programme_id)
                .order_by("-position")
                .values_list("position", flat=True)
                .first()
            )
            question.position = 0 if last is None else last + 1
        question.save()
        _log_question(
            "tremplin.question.created" if created else "tremplin.question.changed",
            question,
            user=user,
            data={"changed": changed},
        )
    return question


def delete_question(question, *, user, answers_confirmed: int = 0) -> int:
    """Delete a custom question and its answers. When it has answers, the caller must pass
    their number as seen by the user (``answers_confirmed``); returns the number deleted."""
    ensure_questions_editable(question.programme)
    with transaction.atomic():
        count = question.answers.count()
        if count and count != answers_confirmed:
            raise QuestionHasAnswers(count)
        _log_question(
            "tremplin.question.deleted", question, user=user, data={"answers_deleted": count}
        )
        question.delete()
    return count


def move_question(question, *, user, direction: str) -> None:
    """Move a question one place ``"up"`` or ``"down"`` in its form (no-op at the ends)."""
    if direction not in ("up", "down"):
        raise ValueError(direction)
    ensure_questions_editable(question.programme)
    with transaction.atomic():
        siblings = list(
            Question.objects.select_for_update()
            .filter(programme_id=question.programme_id)
            .order_by("position", "id")
        )
        index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
        target = index - 1 if direction == "up" else index + 1
        if not 0 <= target < len(siblings):
            return
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings):
            sibling.position = position
        Question.objects.bulk_update(siblings, ["position"])
        question.position = siblings[target].position
        _log_question(
            "tremplin.question.changed",
            question,
            user=user,
            data={"changed": ["position"], "direction": direction},
        )
