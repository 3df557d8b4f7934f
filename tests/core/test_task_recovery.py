"""A task whose worker died stays RUNNING for ever (django-tasks-db has no lease): past
TASK_RUNNING_TIMEOUT it is queued again, exactly once however many recoveries run at once,
and given up (FAILED, with a clear reason) after TASK_MAX_ATTEMPTS attempts. The worker
recovers before it takes tasks. Every task of the code base is reviewed for a second run."""

from __future__ import annotations

import re
import signal
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.concurrency import run_together
from tests.core.task_rows import DATABASE_TASKS, stuck_row, task_row
from tremplin.core import actions, task_recovery
from tremplin.core.audit import describe
from tremplin.core.models import AuditLog
from tremplin.core.task_recovery import ABANDONED_ERROR, Recovery, recover_stuck_tasks
from tremplin.core.task_worker import RecoveringWorker

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "tremplin"


def entries(action: str, task: DBTaskResult) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action, object_id=str(task.pk)))


# --- the recovery ----------------------------------------------------------------------------


def test_a_task_running_past_the_timeout_is_queued_again(settings):
    settings.TASK_RUNNING_TIMEOUT = 15 * 60
    stuck = stuck_row(minutes_ago=16, attempts=1)
    running = stuck_row(minutes_ago=14, attempts=1)  # still within its time
    finished = task_row(status=TaskResultStatus.SUCCESSFUL, minutes_ago=60, attempts=1)

    assert recover_stuck_tasks() == Recovery(recovered=1, abandoned=0)

    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.READY
    assert stuck.worker_ids == ["dead-worker-0"]  # the attempt is remembered
    assert DBTaskResult.objects.ready().filter(pk=stuck.pk).exists()
    for untouched in (running, finished):
        before = untouched.status
        untouched.refresh_from_db()
        assert untouched.status == before
    [entry] = entries(actions.TASK_RECOVERED, stuck)
    assert entry.user is None
    assert entry.data == {"task": stuck.task_path, "attempts": 1}
    # Nothing left to do: a second run changes nothing.
    assert recover_stuck_tasks() == Recovery()
    assert len(entries(actions.TASK_RECOVERED, stuck)) == 1


def test_a_recovery_that_read_an_older_claim_does_nothing():
    """A recovery read the row, a worker took the task again meanwhile (new started_at):
    the conditional UPDATE no longer matches, the running task is left alone."""
    stuck = stuck_row(minutes_ago=30)
    seen = DBTaskResult.objects.values("pk", "started_at", "worker_ids", "task_path").get(
        pk=stuck.pk
    )
    stuck.claim("live-worker")
    assert task_recovery.recover_task(seen, timezone.now()) is None
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.RUNNING
    assert not entries(actions.TASK_RECOVERED, stuck)


def test_gives_up_after_the_maximum_of_attempts(settings):
    """Each time a worker takes the task and dies, the recovery queues it again, until it
    has been tried TASK_MAX_ATTEMPTS times: then FAILED, with the reason."""
    settings.TASK_MAX_ATTEMPTS = 3
    task = task_row()
    outcomes = []
    for attempt in range(1, 5):
        task.refresh_from_db()
        if task.status != TaskResultStatus.READY:
            break
        task.claim(f"worker-{attempt}")  # a worker takes it… and is killed
        DBTaskResult.objects.filter(pk=task.pk).update(
            started_at=timezone.now() - timedelta(hours=1)
        )
        outcomes.append(recover_stuck_tasks())
    assert outcomes == [Recovery(recovered=1), Recovery(recovered=1), Recovery(abandoned=1)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.finished_at is not None
    assert task.exception_class_path == ABANDONED_ERROR
    assert "stopped before it finished, 3 time(s)" in task.traceback
    assert task.task_result.attempts == 3
    [error] = task.task_result.errors
    assert error.exception_class_path == ABANDONED_ERROR
    assert len(entries(actions.TASK_RECOVERED, task)) == 2
    [given_up] = entries(actions.TASK_ABANDONED, task)
    assert given_up.data == {"task": task.task_path, "attempts": 3}
    # Given up is final for the recovery: it is not queued again by itself.
    assert recover_stuck_tasks() == Recovery()


def test_the_audit_entries_read_in_french():
    from django.utils import translation

    task = stuck_row(attempts=1)
    recover_stuck_tasks()
    entry = AuditLog.objects.get(action=actions.TASK_RECOVERED)
    with translation.override("fr"):
        from tremplin.core.audit import action_label

        assert action_label(entry.action) == "Tâche de fond interrompue remise en file"
        assert ("tâche", task.task_path) in describe(entry)
        assert ("tentatives", "1") in describe(entry)


# --- two recoveries at once (PostgreSQL, real threads) ---------------------------------------


def _recover_together(count: int = 2) -> list:
    return run_together(count, lambda i: recover_stuck_tasks(), timeout=60)


def _both_read_first(monkeypatch, release):
    """Hold each recovery at its release until both have read the stuck task: the worst
    interleaving, every time."""
    both_read = threading.Barrier(2)

    def held(*args, **kwargs):
        both_read.wait(timeout=30)
        return release(*args, **kwargs)

    monkeypatch.setattr(task_recovery, "release", held)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)")
def test_without_the_conditional_claim_two_recoveries_both_requeue(monkeypatch):
    """The race the conditional UPDATE closes: each recovery checks the row is RUNNING,
    then writes READY by its id. Both read before either writes: both "recover" it (two
    audit entries; had a worker taken it in between, it would run twice at once)."""
    task = stuck_row(attempts=1)

    def naive_release(pk, started_at, **changes):
        current = DBTaskResult.objects.get(pk=pk)
        if current.status != TaskResultStatus.RUNNING:
            return False
        DBTaskResult.objects.filter(pk=pk).update(**changes)
        return True

    _both_read_first(monkeypatch, naive_release)
    outcomes = _recover_together()
    assert outcomes == [Recovery(recovered=1), Recovery(recovered=1)], outcomes
    assert len(entries(actions.TASK_RECOVERED, task)) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)")
def test_two_recoveries_at_once_requeue_a_stuck_task_exactly_once(monkeypatch):
    task = stuck_row(attempts=1)
    _both_read_first(monkeypatch, task_recovery.release)
    outcomes = _recover_together()
    assert sorted(o.recovered for o in outcomes) == [0, 1], outcomes
    assert len(entries(actions.TASK_RECOVERED, task)) == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)")
def test_many_recoveries_of_many_stuck_tasks_release_each_once():
    tasks = [stuck_row(attempts=1) for _ in range(10)] + [stuck_row(attempts=3) for _ in range(5)]
    outcomes = _recover_together(6)
    assert sum(o.recovered for o in outcomes) == 10, outcomes
    assert sum(o.abandoned for o in outcomes) == 5, outcomes
    for task in tasks:
        logged = AuditLog.objects.filter(
            action__in=[actions.TASK_RECOVERED, actions.TASK_ABANDONED], object_id=str(task.pk)
        )
        assert logged.count() == 1


# --- the worker ------------------------------------------------------------------------------


def worker(**kwargs) -> RecoveringWorker:
    options = {
        "queue_names": ["*"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "live-worker",
        "excluded_queue_names": [],
        **kwargs,
    }
    return RecoveringWorker(**options)


# The worker closes the connection between loops (close_old_connections): these tests run
# outside the test case's transaction, as the worker does.
@pytest.mark.django_db(transaction=True)
def test_the_worker_recovers_a_stuck_task_before_it_takes_tasks(settings):
    """Only a stuck task in the table: a batch worker that looked for ready tasks first
    would find none and stop; this one recovers it, then runs it."""
    settings.TASKS = DATABASE_TASKS
    task = stuck_row(minutes_ago=30, attempts=1, to="lea@makers.example")
    worker().run()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["dead-worker-0", "live-worker"]
    assert [m.to for m in mail.outbox] == [["lea@makers.example"]]
    assert len(entries(actions.TASK_RECOVERED, task)) == 1


@pytest.mark.django_db(transaction=True)
def test_the_issues_example_a_killed_webhook_delivery_is_sent_after_all(settings):
    """Issue #9: a worker killed while delivering a sandbox webhook left the task RUNNING
    and the payment PENDING for ever. Now the next worker queues the task again and the
    webhook is sent: the payment is confirmed."""
    from tests.campaigns.factories import CampaignFactory
    from tests.payments.helpers import payment_for
    from tremplin.payments.enums import PaymentState
    from tremplin.sandbox import api, delivery
    from tremplin.sandbox.models import SandboxWebhook

    settings.TASKS = DATABASE_TASKS
    settings.SITE_URL = "http://testserver"
    settings.SANDBOX_WEBHOOK_DELIVERY = "task"
    settings.SANDBOX_WEBHOOK_TRANSPORT = "inprocess"
    settings.SANDBOX_CHAOS = False
    settings.SANDBOX_WEBHOOK_SECRET = "whsec-sandbox-test-secret"
    payment = payment_for(CampaignFactory(goal="5000.00"), "18.00")
    api.pay(payment.provider_reference, "4242424242424242")  # queues the delivery task
    task = DBTaskResult.objects.get(task_path="tremplin.sandbox.tasks.deliver_webhook_task")
    webhook = SandboxWebhook.objects.get()

    # A worker takes the task, claims the webhook's attempt… and is killed.
    task.claim("killed-worker")
    assert delivery._claim(webhook.pk, timezone.now())
    # An hour later: the task is still RUNNING, the webhook's lease long over.
    hour_ago = timezone.now() - timedelta(hours=1)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=hour_ago)
    SandboxWebhook.objects.filter(pk=webhook.pk).update(deliver_after=hour_ago)
    payment.refresh_from_db()
    assert payment.state == PaymentState.PENDING

    worker().run()

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["killed-worker", "live-worker"]
    webhook.refresh_from_db()
    assert webhook.delivered_at is not None
    assert webhook.attempts == 2
    payment.refresh_from_db()
    assert payment.state == PaymentState.CONFIRMED


def test_the_worker_recovers_again_every_minute_only(settings):
    settings.TASKS = DATABASE_TASKS
    now = [1000.0]
    calls = []

    def recover():
        calls.append(now[0])
        return Recovery()

    loop = worker(recover=recover, clock=lambda: now[0])
    loop.recover_if_due()
    now[0] += 59
    loop.recover_if_due()
    assert calls == [1000.0]
    now[0] += 1
    loop.recover_if_due()
    assert calls == [1000.0, 1060.0]


def test_the_worker_goes_on_when_sqlite_is_busy(settings):
    from django.db import OperationalError

    def busy():
        raise OperationalError("database is locked")

    loop = worker(recover=busy)
    loop.recover_if_due()  # no error: tried again at the next loop
    assert loop._last_recovery is None


@pytest.fixture
def restore_signals():
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restore_signals")
def test_tremplin_worker_batch_recovers_then_runs(settings):
    settings.TASKS = DATABASE_TASKS
    stuck = stuck_row(minutes_ago=30, attempts=1, to="stuck@example.org")
    queued = task_row(to="queued@example.org")
    call_command("worker", "--batch", verbosity=0)
    for task in (stuck, queued):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.SUCCESSFUL
    assert sorted(m.to[0] for m in mail.outbox) == ["queued@example.org", "stuck@example.org"]


def test_recover_tasks_command_runs_the_recovery_once(capsys):
    stuck_row(attempts=1)
    stuck_row(attempts=5)
    call_command("recover-tasks")
    assert "1 task(s) queued again, 1 given up" in capsys.readouterr().out
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 1


# --- every task is safe to run again ---------------------------------------------------------

# Why running each task a second time (after its worker was killed mid-run, or because it
# ran longer than TASK_RUNNING_TIMEOUT) does no harm. A new task must be added here, with
# its reason, or made safe first.
RERUN_SAFE = {
    "core.tasks.send_templated_email": (
        "an e-mail: at worst the same message twice (killed after the SMTP server took it, "
        "before the row was marked done): a duplicate notice is better than a lost one; "
        "EMAIL_TIMEOUT keeps a hung SMTP server from outliving the timeout"
    ),
    "core.tasks.send_rendered_email": (
        "the same message, rendered once in the request (allauth's codes and links do not "
        "change): at worst it is received twice"
    ),
    "sandbox.tasks.deliver_webhook_task": (
        "delivery claims the webhook (attempts + 1, a 30 s lease) with a conditional UPDATE "
        "and the same signed event (same event id) is re-sent: the receiver is idempotent"
    ),
    "sandbox.tasks.deliver_due_webhooks": "the sweep: each webhook claimed as above",
    "payments.tasks.attempt_refund_task": (
        "the refund is claimed under a row lock (state CREATED, next_attempt_at lease); the "
        "provider is called with the refund's idempotency key: never refunded twice"
    ),
    "payments.tasks.reconcile_pending_task": (
        "asks the provider, then confirm/fail through the transition table under a row "
        "lock: a payment already confirmed or failed is left alone"
    ),
    "payments.tasks.retry_refunds_task": "each refund attempted as attempt_refund_task",
    "funding.tasks.expire_checkouts": (
        "each contribution claimed with a conditional UPDATE (still PENDING, still expired) "
        "before its reward hold is released; payments cancelled by state"
    ),
    "campaigns.tasks.campaigns_tick": (
        "each campaign launched or closed under a conditional UPDATE (tested by "
        "test_two_workers_close_a_campaign_once)"
    ),
    "campaigns.tasks.send_update_emails": (
        "emailed_at claimed with a conditional UPDATE in the transaction that queues the "
        "e-mails: a second run sends nothing"
    ),
    "jury.tasks.send_jury_reminders": (
        "each reminder claimed per jury with a conditional UPDATE (reminder_*_sent_at)"
    ),
    "coaching.tasks.send_with_calendar": (
        "one invitation e-mail with its ICS, built from the row as it is: queued once by the "
        "verb that claimed its event; a second run may at worst send the invitation twice"
    ),
    "coaching.tasks.coaching_reminders": (
        "each reminder and digest is claimed by a conditional UPDATE of its sent-at column "
        "before its e-mail is queued: a second run sends nothing"
    ),
    "coaching.tasks.coaching_tips": (
        "each tip is decided once per campaign by claiming its TipSent row with a conditional "
        "UPDATE (tests/coaching/test_tips.py, two workers): a second run sends nothing"
    ),
    "donors.tasks.send_receipt": (
        "the receipt's emailed_at is claimed by a conditional UPDATE (given back if the send "
        "fails): a second run sends nothing"
    ),
    "kit.tasks.generate_kit": (
        "items already made are kept (unique per version, kind, variant and language) and the "
        "version's state changes under its row lock: a second run makes only what is missing"
    ),
    "kit.tasks.complete_kit": (
        "the version is claimed by a conditional UPDATE (completing_until, a lease shorter "
        "than TASK_RUNNING_TIMEOUT) and each item saved under its row lock only if still "
        "missing: a second run adds nothing (tests/kit/test_completion.py)"
    ),
    "privacy.tasks.build_export": (
        "builds only a PENDING export; the file is claimed by a conditional UPDATE "
        "(PENDING → READY) that also queues the e-mail: a second run's file is deleted"
    ),
    "privacy.tasks.retention_task": (
        "each rule picks only rows it has not handled yet; a warning is claimed by a unique "
        "(account, last sign-in) row; an erased account is no longer a candidate"
    ),
    "tracking.tasks.close_days": (
        "each campaign's series is claimed through its SeriesCursor row (skip_locked) and "
        "the days are rewritten from the rows: idempotent (tests/tracking/test_concurrency.py)"
    ),
    "tracking.tasks.evaluate_alerts_task": (
        "an alert is raised under a partial unique constraint (one open per campaign and "
        "rule, one per day) and e-mailed after claiming emailed_on by a conditional UPDATE: "
        "a second run raises and e-mails nothing (tests/tracking/test_alerts.py)"
    ),
    "tracking.tasks.send_daily_digests_task": (
        "each recipient's DigestDelivery of the day is claimed by a conditional UPDATE of "
        "sent_at in the transaction that queues the e-mail (tests/tracking/test_digest.py)"
    ),
    "tracking.tasks.generate_report": (
        "the report row is claimed by a conditional UPDATE (QUEUED or RUNNING → RUNNING); a "
        "second run computes the same figures from the same rows and overwrites the same "
        "row; a report already DONE or FAILED is left alone"
    ),
}


def test_every_task_of_the_code_base_is_reviewed_for_a_second_run():
    found = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^@task\([^)]*\)\s*\ndef (\w+)", text, re.MULTILINE):
            module = ".".join(path.relative_to(SRC).with_suffix("").parts)
            found.add(f"{module}.{match.group(1)}")
    assert found == set(RERUN_SAFE), (
        "a task was added or removed: say in RERUN_SAFE why a second run is safe "
        f"(new: {sorted(found - set(RERUN_SAFE))}, gone: {sorted(set(RERUN_SAFE) - found)})"
    )
