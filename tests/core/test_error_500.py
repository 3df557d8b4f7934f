"""The 500 page renders with no database: this module has no django_db mark, so any query
fails the test (pytest-django blocks database access)."""

from __future__ import annotations


def test_server_error_page_renders_without_the_database(rf):
    """Django's handler500 renders 500.html with no context processor: rendered here with
    database access forbidden (no django_db mark), it must not query."""
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("fr"):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Erreur du serveur" in html
    assert 'class="site-header"' in html
    assert "tremplin/css/app.css" in html
