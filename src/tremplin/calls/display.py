"""How calls' data is shown to a reader, shared by the pages of calls and of the apps built
on it (the jurors' application page, the laureates and campaign pages)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.urls import reverse
from django.utils.formats import number_format

from tremplin.calls.enums import QuestionKind
from tremplin.calls.models import Answer, Question


def answer_text(question: Question, answer: Answer | None) -> str:
    """An answer as the reader should see it: choices in their language, numbers in their
    format. Files are linked by the template."""
    if answer is None or answer.value is None or question.kind == QuestionKind.FILE:
        return ""
    value = answer.value
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        labels = dict(question.choice_options())
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(v, v)) for v in values)
    if question.kind == QuestionKind.NUMBER:
        try:
            return number_format(Decimal(str(value)), use_l10n=True)
        except InvalidOperation:
            return str(value)
    return answer.display()


def public_url(field_file) -> str:
    """Address of an upload stored under ``public/`` (logos, rules), served by
    ``core:public_media``; empty for anything else."""
    name = getattr(field_file, "name", "") or ""
    if not name.startswith("public/"):
        return ""
    return reverse("core:public_media", args=[name.removeprefix("public/")])
