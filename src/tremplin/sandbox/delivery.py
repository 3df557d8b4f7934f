"""Webhook delivery: the queue is the ``SandboxWebhook`` table. Every event is stored, then
delivered asynchronously (a task per webhook, or ``tremplin sandbox-deliver``), retried with
backoff on any answer but 2xx, and signed again at each attempt.

A delivery is claimed with a conditional UPDATE (``attempts + 1``, ``deliver_after`` pushed
one retry delay ahead) so two workers never send the same attempt, and a crashed worker's
claim simply expires. With chaos on, each event is stored 2–4 times with random delays and
due webhooks are sent in random order: the platform must cope."""

from __future__ import annotations

import json
import logging
import random
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Mod
from django.utils import timezone

from tremplin.sandbox import conf
from tremplin.sandbox.models import SandboxCharge, SandboxWebhook, new_event_id
from tremplin.sandbox.signing import sign

logger = logging.getLogger(__name__)


def event_body(charge: SandboxCharge, event: str, event_id: str) -> str:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event,
            "created": int(time.time()),
            "data": {
                "charge": {
                    "id": charge.public_id,
                    "amount": charge.amount,
                    "currency": charge.currency,
                    "state": charge.state,
                    "decline_code": charge.decline_code,
                    "metadata": charge.metadata,
                }
            },
        },
        sort_keys=True,
    )


def queue_event(charge: SandboxCharge, event: str) -> list[SandboxWebhook]:
    """Store the webhook(s) of ``event`` and schedule their delivery once committed."""
    event_id = new_event_id()
    body = event_body(charge, event, event_id)
    now = timezone.now()
    copies, delays = 1, [0.0]
    if conf.chaos():
        copies = 1 + random.randint(1, max(conf.chaos_max_duplicates(), 1))
        delays = [random.uniform(0, conf.chaos_max_delay()) for _ in range(copies)]
    webhooks = SandboxWebhook.objects.bulk_create(
        SandboxWebhook(
            charge=charge,
            event_id=event_id,
            event=event,
            body=body,
            deliver_after=now + timedelta(seconds=delays[i]),
        )
        for i in range(copies)
    )
    if conf.delivery() == "task":
        ids = [w.pk for w in webhooks if w.pk is not None]
        if not ids:  # backends without RETURNING: find them again
            ids = list(
                SandboxWebhook.objects.filter(event_id=event_id).values_list("pk", flat=True)
            )
        transaction.on_commit(lambda: _schedule(ids))
    return webhooks


def _schedule(ids: list[int]) -> None:
    from tremplin.sandbox.tasks import deliver_webhook_task

    for pk in ids:
        webhook = SandboxWebhook.objects.filter(pk=pk).only("deliver_after").first()
        if webhook is not None:
            enqueue_at(deliver_webhook_task, webhook.deliver_after, pk)


def enqueue_at(task, when: datetime, *args) -> None:
    """Queue ``task`` to run at ``when``, or now when the backend cannot defer (then the
    task finds the webhook not due yet and the sweep, ``tremplin sandbox-deliver``, sends
    it later)."""
    try:
        backend = task.get_backend()
        if when > timezone.now() and backend.supports_defer:
            task.using(run_after=when).enqueue(*args)
        else:
            task.enqueue(*args)
    except Exception:  # a queue that is down must not lose the event: the sweep sends it
        logger.exception("sandbox: could not queue the delivery of webhook %s", args)


# --- transports --------------------------------------------------------------------------


def _post_http(url: str, body: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(  # noqa: S310 (the platform's own webhook URL)
        url, data=body.encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _post_inprocess(url: str, body: str, headers: dict[str, str]) -> int:
    from urllib.parse import urlsplit

    from django.test import Client

    path = urlsplit(url).path
    client = Client(raise_request_exception=False, headers=headers)
    return client.post(path, body, content_type="application/json").status_code


def post(url: str, body: str, headers: dict[str, str]) -> int:
    """Send one webhook; the HTTP status (0 when the platform could not be reached)."""
    headers = {"Content-Type": "application/json", "User-Agent": "tremplin-sandbox", **headers}
    try:
        if conf.transport() == "inprocess":
            return _post_inprocess(url, body, headers)
        return _post_http(url, body, headers)
    except (OSError, urllib.error.URLError) as error:
        logger.warning("sandbox: webhook to %s failed: %s", url, error)
        return 0


# --- delivery ----------------------------------------------------------------------------


CLAIM_LEASE = timedelta(seconds=30)  # a sender that died: the webhook is due again then


def _claim(pk: int, now: datetime) -> bool:
    """Take webhook ``pk`` for one attempt, if it is due: one conditional UPDATE."""
    return (
        SandboxWebhook.objects.filter(
            pk=pk,
            delivered_at__isnull=True,
            deliver_after__lte=now,
            attempts__lt=conf.MAX_WEBHOOK_ATTEMPTS,
        ).update(attempts=F("attempts") + 1, deliver_after=now + CLAIM_LEASE)
        == 1
    )


def deliver(pk: int, *, now: datetime | None = None) -> bool | None:
    """Send webhook ``pk`` if it is due and not delivered: True when the platform answered
    2xx, False when it will be retried, None when there was nothing to do."""
    now = now or timezone.now()
    if not _claim(pk, now):
        return None
    webhook = (
        SandboxWebhook.objects.select_related("charge")
        .only("body", "attempts", "charge__webhook_url")
        .get(pk=pk)
    )
    signature = sign(webhook.body, conf.webhook_secret())
    status = post(webhook.charge.webhook_url, webhook.body, {conf.SIGNATURE_HEADER: signature})
    delivered = 200 <= status < 300
    update = {"signature": signature, "last_status": status}
    if delivered:
        update["delivered_at"] = timezone.now()
        update["last_error"] = ""
    else:
        update["last_error"] = f"HTTP {status}" if status else "unreachable"
        update["deliver_after"] = now + timedelta(seconds=conf.retry_delay(webhook.attempts))
    SandboxWebhook.objects.filter(pk=pk).update(**update)
    if not delivered and webhook.attempts < conf.MAX_WEBHOOK_ATTEMPTS and conf.delivery() == "task":
        from tremplin.sandbox.tasks import deliver_webhook_task

        enqueue_at(deliver_webhook_task, update["deliver_after"], pk)
    return delivered


def due_ids(
    now: datetime | None = None, limit: int | None = None, shard: tuple[int, int] | None = None
) -> list[int]:
    """The webhooks due now (shuffled under chaos). ``shard=(i, n)``: only those whose id
    is i modulo n, for n senders side by side."""
    now = now or timezone.now()
    query = SandboxWebhook.objects.filter(
        delivered_at__isnull=True,
        deliver_after__lte=now,
        attempts__lt=conf.MAX_WEBHOOK_ATTEMPTS,
    ).order_by("deliver_after", "id")
    if shard is not None:
        query = query.annotate(shard=Mod("id", shard[1])).filter(shard=shard[0])
    pks = query.values_list("pk", flat=True)
    ids = list(pks[:limit] if limit else pks)
    if conf.chaos():
        random.shuffle(ids)
    return ids


def deliver_due(now: datetime | None = None, limit: int | None = None) -> int:
    """Send every webhook due now (in random order under chaos); how many were delivered."""
    now = now or timezone.now()
    return sum(1 for pk in due_ids(now, limit) if deliver(pk, now=now))
