"""The browser fixtures (Playwright, axe-core, CSP watch) for the kit's browser tests."""

from tests.browser.conftest import (  # noqa: F401 (fixtures)
    CSP_VIOLATIONS,
    _no_csp_violation,
    axe,
    browser,
    context,
    page,
)
