"""A URL configuration for the error page tests: a view whose database is unreachable."""

from django.db import connection
from django.urls import include, path


def boom(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


urlpatterns = [path("boom/", boom), path("", include("tremplin.urls"))]
