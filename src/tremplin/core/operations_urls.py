"""The operations pages of the platform staff, under the administration (/admin/operations/,
mounted before the admin's own URLs in tremplin/urls.py)."""

from django.urls import path

from tremplin.core import operations_views

app_name = "operations"

urlpatterns = [
    path("", operations_views.tasks, name="tasks"),
    path("relancer/", operations_views.requeue_task, name="requeue"),
]
