"""The widget framed by another site, in a browser: a page served from another origin (its
own port) frames the progress card, which loads; the same page framing the campaign page
or the dashboard is refused by the browser (frame-ancestors 'none')."""

from __future__ import annotations

import http.server
import threading
from contextlib import contextmanager

import pytest
from django.urls import reverse

from tests.kit.conftest import CSP_VIOLATIONS
from tests.kit.world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@contextmanager
def other_site(html: str):
    """A page served on another port of 127.0.0.1: another origin than the live server."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_the_widget_is_framed_by_another_site_and_the_other_pages_refuse(
    browser, live_server, settings
):
    settings.SITE_URL = live_server.url
    world = build()
    widget = live_server.url + reverse("kit:widget", args=[world.live.slug])
    campaign = live_server.url + reverse("campaigns:campaign", args=[world.live.slug])
    login = live_server.url + reverse("account_login")
    html = (
        "<!doctype html><html lang='fr'><head><title>Site du partenaire</title></head><body>"
        f"<iframe id='widget' src='{widget}' title='widget' width='340' height='430'></iframe>"
        f"<iframe id='page' src='{campaign}' title='page'></iframe>"
        f"<iframe id='login' src='{login}' title='connexion'></iframe>"
        "</body></html>"
    )
    with other_site(html) as url:
        assert not url.startswith(live_server.url)
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        frames = {frame.name or frame.url: frame for frame in page.frames}
        card = page.frame_locator("#widget")
        assert card.get_by_role("heading", name="Atelier vélo").is_visible()
        assert "Contribuer" in card.locator("a.widget-button").inner_text()
        href = card.locator("a.widget-button").get_attribute("href")
        assert href.endswith("/c/atelier-velo/?canal=widget")
        # The campaign page and the log-in page are refused: nothing of theirs is shown.
        by_url = {frame.url: frame for frame in page.frames}
        assert widget in by_url
        for refused in (campaign, login):
            frame = by_url.get(refused)
            content = frame.content() if frame is not None else ""
            assert "Atelier vélo" not in content and "password" not in content
        context.close()
        del frames
    # The browser said why (frame-ancestors 'none'), for the two refused pages only.
    refusals = [v for v in CSP_VIOLATIONS if "frame-ancestors" in v]
    assert len(refusals) == 2, CSP_VIOLATIONS
    assert not any(widget in v.split("Refused to frame")[-1][:200] for v in refusals)
    CSP_VIOLATIONS[:] = [v for v in CSP_VIOLATIONS if v not in refusals]
