"""The staff's operations page (/admin/operations/): the task queue per task (queued,
stuck, failed, each with its oldest), the stuck and failed tasks one by one, and "queue
again" (POST, CSRF, audit log). Platform staff only, with their TOTP step passed."""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests import factories
from tests.core.task_rows import stuck_row, task_row
from tests.mfa import login_with_totp
from tremplin.core import actions
from tremplin.core.models import AuditLog
from tremplin.core.task_recovery import recover_stuck_tasks

pytestmark = pytest.mark.django_db

PAGE = "/admin/operations/"
REQUEUE = "/admin/operations/relancer/"


@pytest.fixture
def staff():
    return factories.UserFactory(is_staff=True, email="ops@tremplin.example")


@pytest.fixture
def staff_client(staff):
    return login_with_totp(Client(), staff)


def snapshot() -> list[tuple]:
    return list(
        DBTaskResult.objects.order_by("pk").values_list(
            "pk", "status", "started_at", "finished_at", "worker_ids"
        )
    )


def test_the_urls():
    assert reverse("operations:tasks") == PAGE
    assert reverse("operations:requeue") == REQUEUE


# --- who may see it --------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_log_in():
    for response in (Client().get(PAGE), Client().post(REQUEUE, {"task": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_signed_in_people_who_are_not_staff_are_refused(client_for, manager):
    task = stuck_row()
    before = snapshot()
    client = client_for(manager)
    assert client.get(PAGE).status_code == 403
    assert client.post(REQUEUE, {"task": str(task.pk)}).status_code == 403
    assert snapshot() == before


def test_staff_without_totp_are_sent_to_set_it_up(client_for, staff):
    response = client_for(staff).get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_whose_session_did_not_pass_totp_are_asked_for_it(client_for, staff):
    TOTP.activate(staff, generate_totp_secret())
    task = stuck_row()
    before = snapshot()
    client = client_for(staff)  # a password-only session
    for response in (client.get(PAGE), client.post(REQUEUE, {"task": str(task.pk)})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    assert snapshot() == before


# --- what it shows ---------------------------------------------------------------------------


def test_the_page_counts_queued_stuck_and_failed_tasks_per_task(staff_client):
    mail_task = "tremplin.core.tasks.send_rendered_email"
    webhook_task = "tremplin.sandbox.tasks.deliver_webhook_task"
    task_row()
    task_row()
    stuck = stuck_row(minutes_ago=45, attempts=2)
    stuck_row(minutes_ago=2)  # running, within its time: not stuck
    task_row(status=TaskResultStatus.FAILED, minutes_ago=90, task_path=webhook_task, attempts=1)
    task_row(status=TaskResultStatus.SUCCESSFUL, minutes_ago=5, attempts=1)

    response = staff_client.get(PAGE)
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    rows = {row["task_path"]: row for row in response.context["summary"]}
    assert set(rows) == {mail_task, webhook_task}
    assert (rows[mail_task]["queued"], rows[mail_task]["stuck"], rows[mail_task]["failed"]) == (
        2,
        1,
        0,
    )
    assert rows[mail_task]["oldest_stuck"] == stuck.started_at
    assert (rows[webhook_task]["queued"], rows[webhook_task]["failed"]) == (0, 1)
    assert [t.pk for t in response.context["stuck"]] == [stuck.pk]
    assert response.context["stuck"][0].attempts == 2

    html = response.content.decode()
    assert "Tâches de fond" in html  # French first
    assert "<caption>La file des tâches, par tâche</caption>" in html
    assert '<th scope="col">Bloquées</th>' in html
    assert f'<th scope="row"><code>{mail_task}</code></th>' in html
    assert "Tâche bloquée (1)" in html
    assert "Tâche en échec (1)" in html
    assert "Remettre en file" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Bonjour Léa" not in html  # a task's arguments (personal data) are not shown


def test_a_task_given_up_reads_as_such(staff_client, settings):
    settings.TASK_MAX_ATTEMPTS = 2
    stuck_row(attempts=2)
    recover_stuck_tasks()
    html = staff_client.get(PAGE).content.decode()
    assert "Abandonnée : le processus qui l’exécutait s’est arrêté à chaque tentative" in html


def test_linked_from_the_admin_index_and_the_staff_dashboard(staff_client):
    assert PAGE in staff_client.get(reverse("admin:index")).content.decode()
    assert PAGE in staff_client.get(reverse("core:dashboard")).content.decode()


def test_an_empty_queue(staff_client):
    html = staff_client.get(PAGE).content.decode()
    assert "Aucune tâche en attente, bloquée ou en échec." in html


# --- queue again -------------------------------------------------------------------------------


def test_staff_queue_a_stuck_task_again(staff_client, staff):
    task = stuck_row(attempts=1)
    response = staff_client.post(REQUEUE, {"task": str(task.pk)})
    assert response.status_code == 302
    assert response["Location"] == PAGE
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    entry = AuditLog.objects.get(action=actions.TASK_REQUEUED, object_id=str(task.pk))
    assert entry.user == staff
    assert entry.data == {"task": task.task_path, "attempts": 1, "state": "RUNNING"}
    assert "est remise en file" in staff_client.get(PAGE).content.decode()


def test_staff_queue_a_failed_task_again(staff_client):
    task = task_row(status=TaskResultStatus.FAILED, minutes_ago=10, attempts=1)
    assert staff_client.post(REQUEUE, {"task": str(task.pk)}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert task.finished_at is None
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()


@pytest.mark.parametrize(
    ("status", "minutes_ago"),
    [
        (TaskResultStatus.RUNNING, 2),  # running within its time
        (TaskResultStatus.SUCCESSFUL, 10),
        (TaskResultStatus.READY, None),
    ],
)
def test_a_task_neither_stuck_nor_failed_is_left_alone(staff_client, status, minutes_ago):
    task = task_row(status=status, minutes_ago=minutes_ago, attempts=1)
    before = snapshot()
    response = staff_client.post(REQUEUE, {"task": str(task.pk)})
    assert response.status_code == 409
    assert "n’est plus ni bloquée ni en échec" in response.content.decode()
    assert snapshot() == before
    assert not AuditLog.objects.filter(action=actions.TASK_REQUEUED).exists()


def test_queued_again_once_when_two_staff_click_together(staff_client):
    task = task_row(status=TaskResultStatus.FAILED, minutes_ago=10, attempts=1)
    assert staff_client.post(REQUEUE, {"task": str(task.pk)}).status_code == 302
    assert staff_client.post(REQUEUE, {"task": str(task.pk)}).status_code == 409
    assert AuditLog.objects.filter(action=actions.TASK_REQUEUED).count() == 1


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("0b5c8a0e-8f3e-4d0a-9a53-3c1e0f6d2b11", 404),  # unknown
        ("0b5c8a0e-8f3e-4d0a-9a53-3c1e0f6d2b11\x00", 400),  # NUL
        ("1" * 40, 400),  # 40 digits
        ("9" * 32 + "\x00", 400),
        ("", 400),
        ("'; DROP TABLE django_tasks_database_dbtaskresult; --", 400),
    ],
)
def test_bad_input_changes_nothing(staff_client, value, status):
    stuck = stuck_row()
    task_row(status=TaskResultStatus.FAILED, minutes_ago=10, attempts=1)
    before = snapshot()
    response = staff_client.post(REQUEUE, {"task": value})
    assert response.status_code == status
    assert snapshot() == before
    assert not AuditLog.objects.filter(action=actions.TASK_REQUEUED).exists()
    assert DBTaskResult.objects.get(pk=stuck.pk).status == TaskResultStatus.RUNNING


def test_no_task_field_and_get_are_refused(staff_client):
    before = snapshot()
    assert staff_client.post(REQUEUE, {}).status_code == 400
    assert staff_client.get(REQUEUE).status_code == 405
    assert snapshot() == before


def test_the_requeue_needs_the_csrf_token(staff):
    task = stuck_row()
    before = snapshot()
    client = login_with_totp(Client(enforce_csrf_checks=True), staff)
    assert client.post(REQUEUE, {"task": str(task.pk)}).status_code == 403
    assert snapshot() == before


def test_the_task_links_to_the_admin_for_staff_who_may_view_task_results(staff_client, client):
    task = stuck_row()
    change = reverse("admin:django_tasks_database_dbtaskresult_change", args=[task.pk])
    assert change not in staff_client.get(PAGE).content.decode()  # no view permission
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    html = login_with_totp(client, superuser).get(PAGE).content.decode()
    assert f'href="{change}"' in html
