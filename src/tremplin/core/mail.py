"""E-mail in the recipient's language, HTML and text, sent by the task worker.

``send_mail_on_commit`` is what domain code calls: the message is queued only when the
transaction that caused it commits, and rendered in the worker from primitive values."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def deliver(
    template: str, recipient: str, language: str, context: dict[str, Any], reply_to: str = ""
) -> None:
    """Render ``<template>_subject.txt``, ``.txt`` and ``.html`` in ``language`` and send."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        subject = " ".join(subject.splitlines())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[recipient],
        reply_to=[reply_to] if reply_to else None,
    )
    message.attach_alternative(html, "text/html")
    message.send()


def send_mail_on_commit(
    template: str,
    recipient: str,
    context: dict[str, Any],
    *,
    language: str = "",
    reply_to: str = "",
) -> None:
    from tremplin.core.tasks import send_templated_email

    lang = language or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: send_templated_email.enqueue(template, recipient, lang, context, reply_to)
    )
