"""Public pages of the kit: the short link printed on posters."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from tremplin.campaigns.enums import PUBLIC_STATES
from tremplin.campaigns.models import Campaign
from tremplin.core.attribution import clean_value
from tremplin.kit.content import tracked_url


@require_safe
def short_link(request: HttpRequest, slug: str, channel: str) -> HttpResponse:
    """``/k/<slug>/<channel>/`` (typed from a poster) → the campaign's page, tracked."""
    channel = clean_value("canal", channel)
    if not channel or not Campaign.objects.filter(slug=slug, state__in=PUBLIC_STATES).exists():
        raise Http404
    return HttpResponseRedirect(tracked_url(slug, channel))
