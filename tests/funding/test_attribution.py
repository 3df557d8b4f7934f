"""Where a contributor came from (issue #9): ``?canal=``, ``?ref=`` and ``utm_*`` are
carried from the campaign's pages to its checkout in the links (no cookie, no third-party
tracker), stored on the contribution and shown in the contributions list and export. The
page cache still serves one page for everyone."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.funding.helpers import form_data
from tremplin.core.attribution import from_query, query_string
from tremplin.funding.models import Contribution

pytestmark = pytest.mark.django_db

SOURCE = (
    "?canal=Affiche&ref=partner-blog&utm_source=newsletter&utm_medium=email&utm_campaign=hiver+2026"
)


def _contribute_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]*/contribuer/[^"]*)"', html)


def test_the_cleaning():
    assert from_query({"canal": "Affiche", "ref": "blog", "utm_source": "lettre", "x": "y"}) == {
        "canal": "affiche",
        "ref": "blog",
        "utm_source": "lettre",
    }
    for bad in ("a\x00b", "<script>", "x" * 101, "a\nb", '"quoted"', ""):
        assert from_query({"ref": bad, "utm_source": bad}) == {}
    assert from_query({"canal": "pas un slug"}) == {}
    assert query_string({"utm_campaign": "hiver 2026"}) == "utm_campaign=hiver+2026"


def test_the_campaign_page_carries_the_source_to_the_contribute_button(campaign):
    page = Client().get(reverse("campaigns:campaign", args=[campaign.slug]) + SOURCE)
    links = _contribute_links(page.content.decode())
    assert links
    for link in links:
        assert "canal=affiche" in link
        assert "ref=partner-blog" in link
        assert "utm_source=newsletter" in link and "utm_medium=email" in link
        assert "utm_campaign=hiver+2026" in link
    assert not page.cookies  # nothing per visitor kept in a cookie


def test_a_bad_source_is_dropped(campaign):
    page = Client().get(
        reverse("campaigns:campaign", args=[campaign.slug]),
        {"ref": "<b>x</b>", "utm_source": "a\x00b", "canal": "ok"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    links = _contribute_links(html)
    assert links and all(link.endswith("?canal=ok") for link in links)


def test_the_checkout_stores_the_source_and_the_lists_show_it(
    campaign, client_for, manager, organiser
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("funding:contribute", args=[campaign.slug]) + SOURCE
    form = client.get(url)
    assert form.status_code == 200
    assert client.post(url, form_data(amount="20")).status_code == 302
    contribution = Contribution.objects.get()
    assert contribution.channel == "affiche"
    assert contribution.attribution == {
        "ref": "partner-blog",
        "utm_source": "newsletter",
        "utm_medium": "email",
        "utm_campaign": "hiver 2026",
    }
    back_office = client_for(manager)
    listing = back_office.get(
        reverse("funding_manage:contributions", args=[organiser.slug, campaign.slug])
    )
    html = listing.content.decode()
    assert "partner-blog" in html and "newsletter" in html
    export = back_office.get(
        reverse("funding_manage:contributions_export", args=[organiser.slug, campaign.slug])
    ).content.decode("utf-8-sig")
    header, row = export.splitlines()[:2]
    assert header.endswith("Source (ref);utm_source;utm_medium;utm_campaign")
    assert row.endswith("partner-blog;newsletter;email;hiver 2026")
    # Trying again from the status page keeps the source.
    thanks = client.get(reverse("funding:thanks", args=[contribution.idempotency_key]))
    assert "canal=affiche" in thanks.context["retry_url"]
    assert "ref=partner-blog" in thanks.context["retry_url"]


def test_the_page_cache_still_serves_one_page_for_everyone(campaign):
    cache.clear()
    plain = reverse("campaigns:campaign", args=[campaign.slug])
    with_source = Client().get(plain + SOURCE)  # rendered for this visitor, never stored
    assert "ref=partner-blog" in with_source.content.decode()
    first = Client().get(plain)
    second = Client().get(plain)
    assert not first.cookies and not second.cookies
    assert first.content == second.content
    assert "ref=partner-blog" not in first.content.decode()
    links = _contribute_links(first.content.decode())
    assert links and all("?" not in link for link in links)
