"""The operations page of the platform staff: the background task queue at a glance (per
task: queued, stuck and failed, each with its oldest), the stuck and the failed tasks one
by one, and a button to queue one of them again (core/task_recovery.py)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from tremplin.core import task_recovery
from tremplin.core.permissions import staff_view

LISTED = 50  # stuck or failed tasks listed one by one


class RequeueForm(forms.Form):
    task = forms.UUIDField(label=pgettext_lazy("tasks", "task"))


def summary(now: datetime) -> list[dict]:
    """Per task: how many are queued (due now), stuck and failed, and the oldest of each."""
    cutoff = now - task_recovery.running_timeout()
    queued = Q(status=TaskResultStatus.READY) & (
        Q(run_after=get_date_max()) | Q(run_after__lte=now)
    )
    stuck = Q(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    failed = Q(status=TaskResultStatus.FAILED)
    rows = (
        DBTaskResult.objects.filter(queued | stuck | failed)
        .values("task_path")
        .annotate(
            queued=Count("pk", filter=queued),
            oldest_queued=Min("enqueued_at", filter=queued),
            stuck=Count("pk", filter=stuck),
            oldest_stuck=Min("started_at", filter=stuck),
            failed=Count("pk", filter=failed),
            oldest_failed=Min("finished_at", filter=failed),
        )
        .order_by("task_path")
    )
    return list(rows)


def _listed(query) -> list[DBTaskResult]:
    tasks = list(
        query.only(
            "status",
            "task_path",
            "enqueued_at",
            "started_at",
            "finished_at",
            "worker_ids",
            "exception_class_path",
        )[:LISTED]
    )
    for task in tasks:
        task.attempts = len(task.worker_ids or [])
        task.abandoned = task.exception_class_path == task_recovery.ABANDONED_ERROR
        task.error = task.exception_class_path.rsplit(".", 1)[-1]
    return tasks


def _page(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    now = timezone.now()
    stuck = task_recovery.stuck(now).order_by("started_at")
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).order_by("-finished_at")
    context = {
        **admin.site.each_context(request),
        "title": _("Background tasks"),
        "summary": summary(now),
        "stuck": _listed(stuck),
        "stuck_count": stuck.count(),
        "failed": _listed(failed),
        "failed_count": failed.count(),
        "timeout_minutes": round(task_recovery.running_timeout().total_seconds() / 60),
        "max_attempts": task_recovery.max_attempts(),
        "listed": LISTED,
    }
    return render(request, "core/operations_tasks.html", context, status=status)


@never_cache
@staff_view
@require_safe
def tasks(request: HttpRequest) -> HttpResponse:
    return _page(request)


@never_cache
@staff_view
@require_POST
def requeue_task(request: HttpRequest) -> HttpResponse:
    form = RequeueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This is not a task of the queue."))
        return _page(request, status=400)
    try:
        task = task_recovery.requeue(form.cleaned_data["task"], user=request.user)
    except DBTaskResult.DoesNotExist:
        raise Http404 from None
    except task_recovery.TaskNotRequeueable as error:
        messages.error(request, error.messages[0])
        return _page(request, status=409)
    messages.success(request, _("The task %(task)s is queued again.") % {"task": task.task_path})
    return redirect("operations:tasks")
