"""Background work of the platform core: sending e-mail."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task

from tremplin.core import mail


@task()
def send_templated_email(
    template: str, recipient: str, language: str, context: dict, reply_to: str = ""
) -> None:
    mail.deliver(template, recipient, language, context, reply_to=reply_to)


@task()
def send_rendered_email(
    subject: str,
    body: str,
    to: list[str],
    from_email: str = "",
    html: str = "",
    headers: dict[str, str] | None = None,
) -> None:
    """Send a message already rendered in the request (allauth's e-mails: they need the
    request to build their links, so they are rendered there and only sent here)."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email or None, to=to, headers=headers
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
