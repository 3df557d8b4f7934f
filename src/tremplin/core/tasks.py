"""Background work of the platform core: sending e-mail."""

from __future__ import annotations

from django_tasks import task

from tremplin.core import mail


@task()
def send_templated_email(
    template: str, recipient: str, language: str, context: dict, reply_to: str = ""
) -> None:
    mail.deliver(template, recipient, language, context, reply_to=reply_to)
