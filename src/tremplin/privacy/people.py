"""Who a person is to the registry: their account and the e-mail addresses that identify
them, the rows of a declared model that are theirs, and their stable pseudonym."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.crypto import salted_hmac

from tremplin.privacy.registry import PersonalData

PSEUDONYM_SALT = "tremplin.privacy.pseudonym"


def pseudonym(user_id: int) -> str:
    """The same for one account every time (an HMAC of its id keyed by SECRET_KEY), and
    telling nothing of who it was: what the audit log keeps instead of the person."""
    return "p-" + salted_hmac(PSEUDONYM_SALT, str(user_id)).hexdigest()[:16]


@dataclass(frozen=True)
class Person:
    user: object | None
    emails: tuple[str, ...]

    @classmethod
    def of_user(cls, user) -> Person:
        from allauth.account.models import EmailAddress

        emails = {user.email.lower()}
        emails.update(
            e.lower()
            for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
                "email", flat=True
            )
        )
        return cls(user, tuple(sorted(emails)))

    @classmethod
    def of_email(cls, email: str) -> Person:
        return cls(None, (email.strip().lower(),))

    def match(self, declaration: PersonalData) -> Q | None:
        """The rows of the model that are about this person (None: no way to find them)."""
        q = Q()
        found = False
        if self.user is not None:
            for path in declaration.user:
                q |= Q(**{path: self.user.pk})
                found = True
        for path in declaration.email:
            for email in self.emails:
                q |= Q(**{f"{path}__iexact": email})
                found = True
        return q if found else None

    def rows(self, declaration: PersonalData) -> QuerySet:
        model = declaration.model_class
        q = self.match(declaration)
        if q is None:
            return model._default_manager.none()
        return model._default_manager.filter(q).distinct()
