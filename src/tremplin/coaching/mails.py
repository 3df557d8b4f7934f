"""The e-mails of coaching: one template family (``coaching/email/notice``) whose ``kind``
says which message it is; rendered in the recipient's language by the worker. Invitations
carry an ICS file, built in the worker from the row's id (``tasks.send_with_calendar``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tremplin.core.mail import send_mail_on_commit

TEMPLATE = "coaching/email/notice"


def notify(kind: str, recipient: str, language: str, **context: Any) -> None:
    """Queue the ``kind`` notice to ``recipient`` once the transaction commits."""
    send_mail_on_commit(TEMPLATE, recipient, {"kind": kind, **context}, language=language)


def notify_with_calendar(
    kind: str, recipient: str, language: str, calendar: tuple[str, int], **context: Any
) -> None:
    """The same, with an ICS attachment: ``calendar`` is ``("workshop"|"meeting", pk)``."""
    from tremplin.coaching.tasks import send_with_calendar

    payload = {"kind": kind, **context}
    what, pk = calendar
    transaction.on_commit(
        lambda: send_with_calendar.enqueue(recipient, language or "fr", payload, what, pk)
    )
