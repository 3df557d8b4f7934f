"""Exports of a person's data (GDPR arts. 15 and 20): asked for by an account holder in
their space, or by a contributor without an account through a signed link sent to their
address (the contributors' space); prepared by a task, downloaded once through a signed
link that expires, then deleted.

    request_export(user=request.user)          # an account: everything about it
    request_export(email="camille@example.org") # an address: everything found by it
    request_link(email)                         # the signed URL a contributor follows
"""

from __future__ import annotations

import tempfile
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from tremplin.core.audit import log_action
from tremplin.core.errors import DomainError
from tremplin.core.mail import send_mail_on_commit
from tremplin.privacy import actions
from tremplin.privacy.collect import write_zip
from tremplin.privacy.models import EXPORT_TRANSITIONS, DataExport, ExportState
from tremplin.privacy.people import Person

DOWNLOAD_SALT = "tremplin.privacy.export-download"
# The contributors' space (donors) signs an address with this salt to link to the export
# request page: ``signing.dumps(email.lower(), salt=REQUEST_SALT)``.
REQUEST_SALT = "tremplin.privacy.export-request"
REQUEST_MAX_AGE = 7 * 24 * 3600


class ExportError(DomainError):
    pass


def _valid_days() -> int:
    return settings.PRIVACY_EXPORT_DAYS


def request_export(*, email: str = "", user=None, enqueue: bool = True) -> DataExport:
    """Ask for an export of everything about ``user`` (an account) or ``email`` (a
    contributor without an account). One export in progress per person: asking again
    while one is being prepared or waits to be downloaded returns it. ``enqueue=False``
    (the demo): the caller builds it."""
    if user is None and not email:
        raise ExportError(_("An export needs an account or an e-mail address."))
    address = (user.email if user is not None else email).strip().lower()
    now = timezone.now()
    with transaction.atomic():
        current = DataExport.objects.select_for_update().filter(
            state__in=(ExportState.PENDING, ExportState.READY), expires_at__gt=now
        )
        current = (
            current.filter(user=user)
            if user is not None
            else current.filter(user__isnull=True, email=address)
        )
        existing = current.first()
        if existing is not None:
            return existing
        export = DataExport.objects.create(
            user=user,
            email=address,
            language=getattr(user, "language", "") or settings.LANGUAGE_CODE,
            nonce=get_random_string(40),
            expires_at=now + timedelta(days=_valid_days()),
        )
        log_action(
            actions.EXPORT_REQUESTED,
            obj=export,
            user=user,
            data={"by_email": user is None},
        )
        from tremplin.privacy.tasks import build_export

        if enqueue:
            transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


def request_link(email: str) -> str:
    """The path of the page where a contributor known by ``email`` asks for their export."""
    token = signing.dumps(email.strip().lower(), salt=REQUEST_SALT)
    return reverse("privacy:request_by_email", args=[token])


def email_from_request_token(token: str) -> str | None:
    try:
        value = signing.loads(token, salt=REQUEST_SALT, max_age=REQUEST_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    return value if isinstance(value, str) and "@" in value else None


def download_token(export: DataExport) -> str:
    return signing.dumps({"export": export.pk, "n": export.nonce}, salt=DOWNLOAD_SALT)


def download_path(export: DataExport) -> str:
    return reverse("privacy:download", args=[download_token(export)])


def export_from_token(token: str) -> DataExport | None:
    try:
        value = signing.loads(token, salt=DOWNLOAD_SALT, max_age=_valid_days() * 24 * 3600)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("export"), int):
        return None
    return DataExport.objects.filter(pk=value["export"], nonce=str(value.get("n"))).first()


def person_of(export: DataExport) -> Person:
    if export.user is not None:
        return Person.of_user(export.user)
    return Person.of_email(export.email)


def build(export_id: int, *, notify: bool = True) -> bool:
    """Prepare the ZIP of a pending export, then e-mail its link. Claimed by a conditional
    UPDATE at the end: two runs write two files, one wins, the other deletes its own."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.state != ExportState.PENDING:
        return False
    with tempfile.TemporaryFile() as handle:
        write_zip(person_of(export), handle)
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(0)
        name = default_storage.save(
            f"privacy/exports/{get_random_string(32)}.zip", File(handle, name="export.zip")
        )
    now = timezone.now()
    with transaction.atomic():
        claimed = DataExport.objects.filter(pk=export.pk, state=ExportState.PENDING).update(
            state=ExportState.READY, file=name, size=size, ready_at=now
        )
        if not claimed:
            transaction.on_commit(lambda: default_storage.delete(name))
            return False
        if not notify:
            return True
        send_mail_on_commit(
            "privacy/email/export_ready",
            export.email,
            {"path": download_path(export), "days": _valid_days()},
            language=export.language,
        )
    return True


def claim_download(export: DataExport) -> bool:
    """READY → DOWNLOADED, once (a conditional UPDATE): the caller then streams the file
    and deletes it."""
    assert ExportState.DOWNLOADED in EXPORT_TRANSITIONS[ExportState.READY]
    claimed = DataExport.objects.filter(
        pk=export.pk, state=ExportState.READY, expires_at__gt=timezone.now()
    ).update(state=ExportState.DOWNLOADED, downloaded_at=timezone.now())
    if claimed:
        log_action(actions.EXPORT_DOWNLOADED, obj=export, user=export.user)
    return bool(claimed)


def _stale(now):
    past = Q(state__in=(ExportState.PENDING, ExportState.READY), expires_at__lte=now)
    downloaded = Q(state=ExportState.DOWNLOADED) & ~Q(file="")
    return DataExport.objects.filter(past | downloaded).order_by("pk")


def stale_exports(now=None) -> list[int]:
    """Exports past their date, or downloaded and still holding a file."""
    return list(_stale(now or timezone.now()).values_list("pk", flat=True))


def expire_exports(now=None) -> int:
    """Delete the file of each stale export; a pending or ready one becomes EXPIRED."""
    count = 0
    for export in _stale(now or timezone.now()):
        name = export.file.name
        state = export.state if export.state == ExportState.DOWNLOADED else ExportState.EXPIRED
        if DataExport.objects.filter(pk=export.pk, state=export.state).update(state=state, file=""):
            count += 1
            if name:
                transaction.on_commit(lambda n=name: default_storage.delete(n))
    return count
