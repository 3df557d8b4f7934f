"""The organiser's list of a programme's applications: filters, search, sort, pages.

Organisers reload this page all day, on programmes of a thousand applications, so it is
built for speed (bench/pages.py, target p99 < 150 ms under 32 connections):

* the rows are read as named tuples of the columns shown (``LIST_COLUMNS``) and written out
  by ``_table_rows`` rather than a template loop; the filter's ``<select>`` by
  ``FilterSelect``;
* the page's body (counts, filters, table, pages) is kept in the cache, under a key made
  of what it shows: the programme (``updated_at``), its applications grouped by state and
  eligibility with their count and last update (``count_groups``, the query the counts
  need anyway), the path and query string, the language and the time zone. Any saved
  change to an application or the programme changes the key, so the next request renders
  afresh. The only things the key does not see (a maker renaming their account, an
  application changed by a bulk ``UPDATE``) show within ``BODY_TTL`` seconds.
  The body holds nothing personal to the viewer (no CSRF token, no role-dependent link):
  any member of the organiser may be served what another member's request rendered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from html import escape as escape_html

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tremplin.calls.enums import ApplicationState, Eligibility, MakerProfile
from tremplin.calls.manage_forms import SORTS, STATE_FILTERS, ApplicationFilterForm
from tremplin.calls.models import Application, Programme
from tremplin.core.money import format_money
from tremplin.core.permissions import organiser_view

PAGE_SIZE = 50
BODY_TTL = 60  # seconds: the bound on what the cache key does not see (above)
BODY_KEY_PREFIX = "calls:applications"


def count_groups(programme: Programme) -> list[tuple[str, str, int, datetime | None]]:
    """The programme's applications grouped by state and eligibility: ``(state,
    eligibility, how many, last updated)``, sorted. One GROUP BY query; what the counts
    are made of, and (with the last updates) the version of the list's content."""
    groups = (
        Application.objects.filter(programme=programme)
        .order_by()
        .values_list("state", "eligibility")
        .annotate(n=Count("id"), last=Max("updated_at"))
    )
    return sorted(groups, key=lambda group: (group[0], group[1]))


def programme_counts(
    programme: Programme, groups: list[tuple[str, str, int, datetime | None]] | None = None
) -> dict[str, int]:
    """How many applications in each state, and the submitted ones by eligibility (from
    ``groups`` when the caller has them already)."""
    counts = dict.fromkeys(
        ("drafts", "submitted", "eligible", "ineligible", "pending", "withdrawn"), 0
    )
    for state, eligibility, n, _last in count_groups(programme) if groups is None else groups:
        if state == ApplicationState.DRAFT:
            counts["drafts"] += n
        elif state == ApplicationState.WITHDRAWN:
            counts["withdrawn"] += n
        elif state == ApplicationState.SUBMITTED:
            counts["submitted"] += n
            if eligibility in (Eligibility.ELIGIBLE, Eligibility.INELIGIBLE, Eligibility.PENDING):
                counts[eligibility] += n
    return counts


def filter_applications(programme: Programme, filters: dict[str, str]) -> QuerySet[Application]:
    """The programme's submitted (or withdrawn) applications matching ``filters`` (as given
    by ``ApplicationFilterForm.filters``), sorted. Drafts are never included."""
    rows = Application.objects.filter(
        programme=programme, state__in=STATE_FILTERS[filters["state"]]
    )
    if filters["eligibility"]:
        rows = rows.filter(eligibility=filters["eligibility"])
    if filters["category"]:
        rows = rows.filter(category=filters["category"])
    if filters["commune"]:
        rows = rows.filter(commune=filters["commune"])
    if filters["profile"]:
        rows = rows.filter(maker_profile=filters["profile"])
    if filters["q"]:
        q = filters["q"]
        rows = rows.filter(
            Q(title__icontains=q)
            | Q(summary__icontains=q)
            | Q(maker_name__icontains=q)
            | Q(maker__full_name__icontains=q)
            | Q(maker__email__icontains=q)
        )
    return rows.order_by(*SORTS[filters["sort"]][1])


def list_query(request: HttpRequest) -> str:
    """The list's query string without the page, to carry the filters along."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# The columns the list shows, and nothing else (the description alone can be 10,000
# characters per row), read as named tuples: half the cost of model instances.
LIST_COLUMNS = (
    "pk",
    "programme_id",
    "state",
    "eligibility",
    "title",
    "category",
    "commune",
    "maker_profile",
    "maker_name",
    "funding_goal",
    "submitted_at",
    "maker__email",
    "maker__full_name",
)


def _known_count(filters: dict[str, str], counts: dict[str, int]) -> int | None:
    """The number of matching applications when the programme's counts already tell it
    (only the state is filtered), so that the page does not count them a second time."""
    if any(filters[name] for name in ("q", "eligibility", "category", "commune", "profile")):
        return None
    return sum(counts[state] for state in STATE_FILTERS[filters["state"]])


# One row of the table. Written out here rather than by a template loop: 50 rows of
# 13 cells cost the template engine more than the rest of the page. Every value is
# escaped by _table_rows (html.escape, as Django's escape does).
_ROW_HTML = """<tr>
      <td class="nowrap">{reference}</td>
      <th scope="row"><a href="{url}">{title}</a>{badge}</th>
      <td>{maker}<br><span class="muted small">{email}</span></td>
      <td>{category}</td>
      <td>{commune}</td>
      <td>{profile}</td>
      <td class="num">{goal}</td>
      <td class="nowrap">{submitted}</td>
      <td><span class="badge badge-{eligibility}">{eligibility_label}</span></td>
    </tr>"""


def _table_rows(rows: list, detail_url: str, query: str) -> list[SafeString]:
    """The rows of the table (named tuples of ``LIST_COLUMNS``), as safe HTML.
    ``detail_url`` is the address of the application whose pk is 0: no URL reversing,
    no lookup and no formatting in the template; labels translated once, not per row."""
    prefix, suffix = detail_url.rsplit("/0/", 1)
    suffix = f"/{suffix}" + (f"?{query}" if query else "")
    profiles = {value: str(label) for value, label in MakerProfile.choices}
    eligibilities = {value: str(label) for value, label in Eligibility.choices}
    withdrawn = format_html(' <span class="badge badge-withdrawn">{}</span>', _("Withdrawn"))
    short_datetime = _short_datetime_formatter()
    html = []
    for row in rows:
        cells = {
            # Application.reference and User.__str__, on the tuple
            "reference": Application.reference.fget(row),
            "url": f"{prefix}/{row.pk}{suffix}",
            "title": row.title,
            "maker": row.maker_name or row.maker__full_name or row.maker__email,
            "email": row.maker__email,
            "category": row.category,
            "commune": row.commune,
            "profile": profiles.get(row.maker_profile, row.maker_profile),
            "goal": format_money(row.funding_goal),
            "submitted": short_datetime(row.submitted_at),
            "eligibility": row.eligibility,
            "eligibility_label": eligibilities.get(row.eligibility, row.eligibility),
        }
        escaped = {name: escape_html(str(value)) for name, value in cells.items()}
        badge = withdrawn if row.state == ApplicationState.WITHDRAWN else ""
        html.append(mark_safe(_ROW_HTML.format(badge=badge, **escaped)))  # noqa: S308
    return html


# Django date format characters that strftime writes the same way.
_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}


def _short_datetime_formatter() -> Callable[[datetime | None], str]:
    """What ``value|date:"SHORT_DATETIME_FORMAT"`` shows, in the current language and
    time zone. Django's date formatting costs 15 µs a value; when the format only uses
    characters strftime writes alike (French: ``d/m/Y H:i``), strftime does it in 2."""
    django_format = get_format("SHORT_DATETIME_FORMAT")
    zone = timezone.get_current_timezone()
    pattern = ""
    for char in django_format:
        if char in _STRFTIME:
            pattern += _STRFTIME[char]
        elif char.isalpha() or char in "\\%":
            pattern = None  # another format character: Django's formatting
            break
        else:
            pattern += char

    def formatted(value: datetime | None) -> str:
        if value is None:
            return ""
        if pattern is None:
            return date_format(value.astimezone(zone), "SHORT_DATETIME_FORMAT")
        return value.astimezone(zone).strftime(pattern)

    return formatted


def _body_key(request: HttpRequest, programme: Programme, groups: list) -> str:
    raw = repr(
        (
            request.get_full_path(),
            get_language(),
            timezone.get_current_timezone_name(),
            programme.pk,
            programme.updated_at,
            groups,
        )
    ).encode()
    return f"{BODY_KEY_PREFIX}:{hashlib.blake2b(raw, digest_size=16).hexdigest()}"


def _render_body(
    request: HttpRequest, programme: Programme, counts: dict[str, int]
) -> tuple[SafeString, int]:
    """The page's body (counts, filter form, table, pages) and the page's status: 400 when
    a filter is refused (the list then shows every application)."""
    form = ApplicationFilterForm(request.GET or None, programme=programme)
    filters = form.filters()
    rows = filter_applications(programme, filters).values_list(*LIST_COLUMNS, named=True)
    paginator = Paginator(rows, PAGE_SIZE)
    known = _known_count(filters, counts)
    if known is not None:
        paginator.count = known  # a cached property: set, it is not queried again
    page = paginator.get_page(request.GET.get("page"))
    query = list_query(request)
    detail_url = reverse("manage:application", args=[request.organiser.slug, programme.slug, 0])
    context = {
        "programme": programme,
        "form": form,
        "filters": filters,
        "page": page,
        "rows": _table_rows(page.object_list, detail_url, query),
        "counts": counts,
        "query": query,
    }
    body = render_to_string("calls/manage/_application_list_body.html", context, request)
    return body, (400 if form.is_bound and form.errors else 200)


@organiser_view()
@require_safe
def applications(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, organiser=request.organiser, slug=slug)
    groups = count_groups(programme)
    key = _body_key(request, programme, groups)
    body, status = cache.get(key), 200
    if body is None:
        body, status = _render_body(request, programme, programme_counts(programme, groups))
        if status == 200:
            cache.set(key, body, BODY_TTL)  # a SafeString, and so once more from the cache
    context = {"programme": programme, "body": body}
    return render(request, "calls/manage/application_list.html", context, status=status)
