"""The demo of personal data rights: a 2019 laureate who erased their account (the MEL's
team sees the notice on its personal data page, and made the campaign's kit again: the
items that named the maker went with their data), an export ready in the winter maker's
space, and an account unused for years for the retention job to warn in `tremplin retention
--dry-run` — besides the 2019 applications not selected, whose period has run."""

from __future__ import annotations

from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from tremplin.calls.models import Programme
from tremplin.core.models import User
from tremplin.demo import data
from tremplin.demo.history import paris
from tremplin.demo.kit import remake_kit
from tremplin.privacy import exports
from tremplin.privacy.erasure import erase_account

WINTER_MAKER = "malik.benhamou@makers.example"
SLEEPER = "ancien.contributeur@example.org"


def load_privacy_demo(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    from tremplin.demo.load import DEMO_LOGINS
    from tremplin.jury.publication import laureates

    programme = Programme.objects.get(slug=data.PROGRAMME_2019["slug"])
    logins = {login.email for login in DEMO_LOGINS}
    leaving = [a for a in laureates(programme) if a.maker.email not in logins][-1]
    erase_account(leaving.maker)
    remake_kit(leaving.campaign)  # the organiser's step after such an erasure

    maker = User.objects.get(email=WINTER_MAKER)
    export = exports.request_export(user=maker, enqueue=False)
    exports.build(export.pk, notify=False)  # ready in the maker's space, no e-mail queued

    sleeper = User.objects.create_user(SLEEPER, None, full_name="Ancien Contributeur")
    User.objects.filter(pk=sleeper.pk).update(
        last_login=now - timedelta(days=3 * 365 - 10), date_joined=paris(2019, 9, 20, 12)
    )
    EmailAddress.objects.create(user=sleeper, email=SLEEPER, verified=True, primary=True)
    return {"erasures": 1, "exports": 1}
