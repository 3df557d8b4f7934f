"""The public laureates page of a programme: it exists once the results are published
(404 before). The waiting list is never public."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from tremplin.calls.display import public_url
from tremplin.calls.models import ApplicationImage, Programme
from tremplin.core.colours import DEFAULT_PRIMARY, DEFAULT_SECONDARY, safe_colour
from tremplin.jury import publication


@require_safe
def laureates(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme.objects.public().select_related("organiser"), slug=slug)
    jury = publication.published_jury(programme)
    if jury is None:
        raise Http404
    rows = list(
        publication.laureates(programme).prefetch_related(
            Prefetch(
                "images",
                queryset=ApplicationImage.objects.order_by("position", "id"),
                to_attr="ordered_images",
            )
        )
    )
    cards = []
    for application in rows:
        image = application.ordered_images[0] if application.ordered_images else None
        cards.append(
            {
                "application": application,
                "image": image,
                "image_url": reverse("calls:application_image", args=[application.pk, image.pk])
                if image
                else "",
            }
        )
    first_image = next((card for card in cards if card["image"]), None)
    logo_url = public_url(programme.logo)
    if first_image:
        og_image = f"{settings.SITE_URL}{first_image['image_url']}"
        og_image_alt = first_image["image"].alt_text or first_image["application"].title
    else:
        og_image = f"{settings.SITE_URL}{logo_url}" if logo_url else ""
        og_image_alt = ""
    context = {
        "programme": programme,
        "organiser": programme.organiser,
        "jury": jury,
        "cards": cards,
        "primary_colour": safe_colour(programme.primary_colour, DEFAULT_PRIMARY),
        "secondary_colour": safe_colour(programme.secondary_colour, DEFAULT_SECONDARY),
        "logo_url": logo_url,
        "og_image": og_image,
        "og_image_alt": og_image_alt,
    }
    return render(request, "jury/public/laureates.html", context)
