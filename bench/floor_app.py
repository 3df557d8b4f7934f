"""The floor of this machine: the least a Django view can do, served by gunicorn with the
same configuration as ``tremplin serve``. Settings and URLs live in this one module; no
middleware, no templates, no sessions. Never part of the product.

    /                              a bare view returning a small HttpResponse
    /applications/<programme_id>/  the database read of a list page done by hand: one page
                                   of 50 application rows (with their maker) and the count
    /contribute/<campaign_id>/     POST amount, name, email: insert one (offline, confirmed)
                                   contribution row and add it to its campaign's totals, in
                                   one transaction (the floor of bench/contributions.py)

Run by bench/pages.py as ``gunicorn floor_app:application`` with ``bench/`` on the Python
path and ``DATABASE_URL`` pointing at the benchmark's database.
"""

from __future__ import annotations

import os
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import path
from django.utils import timezone
from django.utils.html import escape

from tremplin.env import Env

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="floor-" + "x" * 60,  # noqa: S106 (nothing is signed here)
        ALLOWED_HOSTS=["127.0.0.1", "localhost"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        MIDDLEWARE=[],
        USE_TZ=True,
        USE_I18N=False,
        DATABASES={"default": Env().database("DATABASE_URL", os.environ["DATABASE_URL"])},
    )

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Floor</title></head>
<body><h1>Floor</h1><p>A bare Django view.</p></body></html>"""

ROWS_SQL = """
SELECT a.id, a.title, a.maker_name, u.email, a.commune, a.category, a.funding_goal,
       a.eligibility, a.submitted_at
FROM calls_application a JOIN core_user u ON u.id = a.maker_id
WHERE a.programme_id = %s AND a.state = 'submitted'
ORDER BY a.submitted_at DESC, a.id DESC
LIMIT 50
"""
COUNT_SQL = "SELECT COUNT(*) FROM calls_application WHERE programme_id = %s AND state = 'submitted'"


def hello(request):
    return HttpResponse(PAGE)


def applications(request, programme_id: int):
    with connection.cursor() as cursor:
        cursor.execute(COUNT_SQL, [programme_id])
        total = cursor.fetchone()[0]
        cursor.execute(ROWS_SQL, [programme_id])
        rows = cursor.fetchall()
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(value))}</td>" for value in row) + "</tr>"
        for row in rows
    )
    return HttpResponse(f"<!doctype html><p>{total}</p><table>{body}</table>")


INSERT_CONTRIBUTION = """
INSERT INTO funding_contribution (
    campaign_id, amount, state, source, name, email, language, address, postal_code, city,
    country, hide_name, hide_amount, message, news_consent, channel, idempotency_key,
    offline_reference, matched_amount, reward_unavailable, created_at, confirmed_at,
    attribution
) VALUES (%s, %s, 'confirmed', 'cash', %s, %s, 'fr', '', '', '', 'FR', FALSE, FALSE, '',
          FALSE, '', %s, '', 0, FALSE, %s, %s, '{}')
"""
ADD_TO_CAMPAIGN = """
UPDATE campaigns_campaign
SET raised_amount = raised_amount + %s, contributor_count = contributor_count + 1
WHERE id = %s
"""


def contribute(request, campaign_id: int):
    """One contribution row and the campaign's total, in one transaction: the least an
    end-to-end contribution must write."""
    try:
        amount = Decimal(request.POST.get("amount", "").replace(",", "."))
    except InvalidOperation:
        return HttpResponseBadRequest("amount")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            INSERT_CONTRIBUTION,
            [
                campaign_id,
                connection.ops.adapt_decimalfield_value(amount, 10, 2),
                request.POST.get("name", "")[:150],
                request.POST.get("email", "")[:254],
                uuid.uuid4().hex,
                now,
                now,
            ],
        )
        cursor.execute(
            ADD_TO_CAMPAIGN, [connection.ops.adapt_decimalfield_value(amount, 12, 2), campaign_id]
        )
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", hello),
    path("applications/<int:programme_id>/", applications),
    path("contribute/<int:campaign_id>/", contribute),
]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
