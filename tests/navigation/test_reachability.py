"""Issue #9: every page a role may open is reachable from the navigation. As each role,
a crawl starts at the dashboard and follows same-site links (GET only, bounded); every
URL pattern the role opens with a 200 in the hostile walk's matrix (the same world:
tests/security/walk.py) must be reached, unless NOT_LINKED says why it is not a link."""

from __future__ import annotations

from collections import deque
from urllib.parse import urlsplit

import pytest

from tests.security import walk
from tests.security.walk import ROLES, send

pytestmark = pytest.mark.django_db

world = pytest.fixture(scope="module")(walk.world_fixture)


@pytest.fixture(scope="module")
def matrix(world, django_db_blocker):
    with django_db_blocker.unblock():
        return walk.compute_matrix(world)


# Pages no link leads to, and why.
NOT_LINKED = {
    "jury:accept": "the invitation link sent by e-mail to a juror",
    "funding:thanks": "the contributor's own page after paying, reached by the checkout's "
    "redirect (its key is a secret of the contributor's browser)",
    "payments:return": "where the payment provider sends the contributor back",
    "sandbox:checkout": "the simulated provider's card page, reached by the checkout's redirect",
    "calls:application_file": "a file download (its link is on the application page once "
    "a file was uploaded; the demo has none)",
    "calls:application_image": "an image (shown inline on the application page, not a link)",
    "funding_manage:statement_export": "a download (link on the statement)",
    "funding_manage:contributions_export": "a download (link on the contributions list)",
    "manage:applications_export": "a download (link on the applications list)",
    "jury_manage:export": "a download (link on the tally and participation pages)",
    "account_login": "the log-in page, for the anonymous visitor (links from public pages "
    "to the dashboard redirect there)",
    "account_signup": "linked from the log-in page, which the crawl of a signed-in role "
    "does not open",
    "account_reset_password": "linked from the log-in page",
    "account_request_login_code": "linked from the log-in page",
    "account_reset_password_done": "the page after a password reset request",
    "account_reset_password_from_key_done": "the page after a password reset",
    "account_email_verification_sent": "the page after a sign-up",
    "account_inactive": "where allauth sends an inactive account",
    "account_confirm_login_code": "the page after a log-in code request",
    "account_reauthenticate": "where allauth asks for the password again before a sensitive change",
    "mfa_reauthenticate": "where allauth asks for the second factor again",
    "mfa_authenticate": "the second step of a staff log-in",
    "mfa_generate_recovery_codes": "linked from the recovery codes page",
    "mfa_download_recovery_codes": "a download (link on the recovery codes page)",
    "mfa_activate_totp": "linked from the two-factor page",
    "mfa_deactivate_totp": "linked from the two-factor page",
    "mfa_view_recovery_codes": "linked from the two-factor page",
    "account_set_password": "for an account without a password (log-in by code)",
    "account_request_reauthentication_code": "where allauth asks for a code again before a "
    "sensitive change",
    "manage:question_create": "the questions page embeds the new question's form, which "
    "posts here (this page shows the form again after an error)",
    "calls:withdraw": "linked from the application page only while the application can be "
    "withdrawn (the demo maker's was selected)",
    "account_logout": "the crawl never logs out (the log-out is a form in the header)",
    "core:set_language": "the language switcher is a form, not a link",
    "set_language": "Django's language switcher (a form)",
    "core:public_media": "a public upload (a logo), shown inline",
    "campaigns:updates": "the news feed of a campaign (the campaign page shows the news)",
    "tracking_manage:report_status": "the progress block of the report page, polled by htmx "
    "while a report is generated (the page itself shows it)",
    "kit:widget": "the progress card other websites embed (its code is shown, not linked)",
    "kit:video": "the uploaded video, played by the campaign page's <video> element",
    "kit:relay_calendar": "a download (link on the relay portal's programme page)",
    "kit:captions": "a download (the captions file linked beside a campaign's video); the "
    "walk opens it for a page without captions",
    "kit:relay_kit_item": "a download (a released kit's file, linked from the relay portal)",
    "kit:badge": "the badge image other websites embed (downloaded from the maker's, the "
    "organiser's and the partners' pages)",
    "donors:request_link": "the contributors' space entry (no account): reached from the "
    "link in every contribution e-mail",
    "donors:open": "the signed link to a contributor's space, sent by e-mail",
    "donors_manage:summary_export": "a download (link on the yearly summary)",
    "privacy:request_by_email": "the contributors' space links there, with the address "
    "signed (a link sent by e-mail)",
    "privacy:download": "the link e-mailed when an export is ready (the maker's space "
    "links it too)",
    "coaching:registration": "one's workshop registration, by the signed link of the "
    "confirmation e-mail (a signed-in registrant also finds it on the workshop's page)",
    "coaching:attachment": "a file of a coaching conversation (its link is in the thread "
    "once a file was attached; the demo has none, the walk adds one without a page)",
    "coaching:material_admin": "a download (link on the workshop's management page)",
    "coaching:meeting_ics": "a download (link on a coaching space's booked meetings)",
    "coaching:material": "a workshop's material for an attendee, by the signed link of the "
    "e-mail sent after the workshop",
    "kit:short_link": "the short link printed on posters (typed, never a link)",
    "kit:progress": "the progress bar's fragment, polled by htmx while a kit is generated",
    "kit:share_image": "the OpenGraph image of a campaign page (a meta tag, not a link)",
    "kit_manage:print_zip": "a download (link on the programme's kits page)",
    "kit:item_file": "a kit's file (linked from the proof; images shown inline)",
    "kit:printer_zip": "the printers' signed link, shown on the programme's kits page to be "
    "sent to them",
}

# Personal lists: the dashboard links them to whoever has something in them.
PERSONAL = {"calls:my_applications": "maker", "campaigns:mine": "maker", "jury:home": "juror"}

MAX_PAGES = 600  # per role
MAX_PER_PATTERN = 4  # distinct URLs of one pattern (lists of 1,400 contributions…)
# Every campaign's page and statement: what a statement links to depends on its refunds.
UNBOUNDED = {"campaigns_manage:detail", "funding_manage:statement", "donors_manage:receipts"}
UNBOUNDED = {"campaigns_manage:detail", "funding_manage:statement", "kit_manage:campaign_kit"}
NEVER = {"account_logout", "admin:logout"}


def crawl(world, role: str) -> set[str]:
    client = world.clients[role]
    start = "/tableau-de-bord/"
    queue, seen, reached = deque([start]), {start}, set()
    per_pattern: dict[str, int] = {}
    pages = 0
    while queue and pages < MAX_PAGES:
        path = queue.popleft()
        result = send(client, "GET", path)
        pages += 1
        name = walk.pattern_name(path)
        if result.status == 200 and name:
            reached.add(name)
        if result.status != 200 or "html" not in result.content_type:
            continue
        for href in walk.parse(result.content).links:
            target = walk.same_site_path(href, path)
            if target is None:
                continue
            target = target.split("#", 1)[0]
            if urlsplit(target).path.startswith(("/static/", "/admin/")) or target in seen:
                continue
            target_name = walk.pattern_name(target)
            if target_name is None or target_name in NEVER:
                continue
            if target_name not in UNBOUNDED and per_pattern.get(target_name, 0) >= MAX_PER_PATTERN:
                continue
            per_pattern[target_name] = per_pattern.get(target_name, 0) + 1
            seen.add(target)
            queue.append(target)
    return reached


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_every_page_of_the_role_is_reachable_from_the_dashboard(world, matrix, role):
    reached = crawl(world, role)
    expected = matrix.opens(role) - set(NOT_LINKED)
    expected -= {name for name, owner in PERSONAL.items() if owner != role}
    missing = sorted(expected - reached)
    assert not missing, f"{role} cannot reach {missing}"
