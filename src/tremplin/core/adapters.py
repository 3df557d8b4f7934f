"""django-allauth adapter: the user's language is remembered at sign-up, and allauth's
e-mails are rendered in the request (in the visitor's language, with absolute links) then
sent by the task worker once the transaction commits."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

EMAIL_MAX_LENGTH = 254


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        lang = (get_language() or "fr")[:2]
        user.language = lang if lang in ("fr", "en") else "fr"
        if commit:
            user.save()
        return user

    def clean_email(self, email: str) -> str:
        """Addresses are stored in a 254-character column: refuse longer ones on the field
        (SQLite would keep them, PostgreSQL would fail)."""
        email = super().clean_email(email)
        if len(email) > EMAIL_MAX_LENGTH:
            raise ValidationError(
                _("Enter an e-mail address of at most %(max)d characters.")
                % {"max": EMAIL_MAX_LENGTH},
                code="max_length",
            )
        return email

    def render_mail(self, template_prefix, email, context, headers=None) -> EmailMessage:
        """allauth's messages are plain text: add an HTML alternative in our e-mail layout."""
        message = super().render_mail(template_prefix, email, context, headers=headers)
        if isinstance(message, EmailMultiAlternatives) and not message.alternatives:
            html = render_to_string(
                "email/allauth_message.html",
                {"subject": message.subject, "body": message.body, "site_url": settings.SITE_URL},
            )
            message.attach_alternative(html, "text/html")
        return message

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from allauth.core import context as allauth_context
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        enqueue_rendered(message)


def enqueue_rendered(message: EmailMessage) -> None:
    """Queue an already rendered message for the worker, after the current transaction."""
    from tremplin.core.tasks import send_rendered_email

    html = ""
    body = message.body
    if isinstance(message, EmailMultiAlternatives):
        html = next((c for c, mimetype in message.alternatives if mimetype == "text/html"), "")
    if message.content_subtype == "html":
        html, body = body, ""
    payload = {
        "subject": str(message.subject),
        "body": str(body),
        "to": [str(address) for address in message.to],
        "from_email": str(message.from_email or ""),
        "html": str(html),
        "headers": {str(k): str(v) for k, v in (message.extra_headers or {}).items()},
    }
    transaction.on_commit(lambda: send_rendered_email.enqueue(**payload))
