"""``ChannelVisitMiddleware`` (settings.MIDDLEWARE): counts the tracked landing visits on
campaign pages after the view has answered (``tracking.visits``)."""

from __future__ import annotations

import logging

from tremplin.tracking.visits import count_visit

logger = logging.getLogger(__name__)


class ChannelVisitMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "canal" in request.GET:
            try:
                count_visit(request, response)
            except Exception:  # a counter is not worth a visitor's error page
                logger.exception("tracking: the visit could not be counted")
        return response
