from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import get_language


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        lang = (get_language() or "fr")[:2]
        user.language = lang if lang in ("fr", "en") else "fr"
        if commit:
            user.save()
        return user
