"""Browser tests: Playwright drives the system's Chromium against pytest-django's live
server; axe-core checks every page a test visits."""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TREMPLIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        return  # in CI a missing browser must fail, not skip
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# Content-Security-Policy violations (Chromium reports them on the console) seen in any
# browser context of the current test: the test fails on any.
CSP_VIOLATIONS: list[str] = []


def _watch_csp(context):
    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            CSP_VIOLATIONS.append(f"{message.page.url if message.page else '?'}: {message.text}")

    context.on("console", on_console)
    return context


# One Chromium for the whole run: the fixture is also imported by other test packages
# (tests/kit, tests/tracking), and a second Playwright started while the first runs fails.
_LAUNCHED: dict = {}


@pytest.fixture(scope="session")
def browser():
    if "browser" in _LAUNCHED:
        yield _LAUNCHED["browser"]
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        new_context = browser.new_context
        browser.new_context = lambda *args, **kwargs: _watch_csp(new_context(*args, **kwargs))
        _LAUNCHED["browser"] = browser
        try:
            yield browser
        finally:
            _LAUNCHED.pop("browser", None)
            browser.close()


@pytest.fixture(autouse=True)
def _no_csp_violation():
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, "Content-Security-Policy violations:\n" + "\n".join(CSP_VIOLATIONS)


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


class AxeChecker:
    """Runs axe-core on the current page and remembers serious or critical violations."""

    def __init__(self) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.visited: list[str] = []

    def check(self, page) -> None:
        results = self.axe.run(page)
        bad = [
            v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")
        ]
        self.visited.append(page.url)
        assert not bad, f"axe-core on {page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] for n in v["nodes"][:5])
            for v in bad
        )


@pytest.fixture
def axe():
    return AxeChecker()


def log_in(context, user):
    """A new page of ``context`` signed in as ``user`` (the factories' password), on the
    dashboard."""
    from django.urls import reverse

    from tests.factories import PASSWORD

    page = context.new_page()
    page.goto(reverse("account_login"))
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_url("**" + reverse("core:dashboard"))
    return page
