from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from tremplin.core import views

app_name = "core"

# The language switch on every page posts here without a CSRF token, so that public pages
# hold nothing per visitor and can be cached (core.pagecache; see docs/decisions.md).
# Django's view still only follows a safe "next" on this site. Under /i18n/ like Django's
# own /i18n/setlang/ (still there), which staff without TOTP may reach too.
set_language = csrf_exempt(require_POST(django_set_language))

urlpatterns = [
    path("tableau-de-bord/", views.dashboard, name="dashboard"),
    path("mentions-legales/", views.legal, name="legal"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("media/public/<path:path>", views.public_media, name="public_media"),
    path("i18n/langue/", set_language, name="set_language"),
]
