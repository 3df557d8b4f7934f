"""The sandbox's settings (read at use time, so tests can override them):

SANDBOX_WEBHOOK_SECRET      shared secret of the webhook signatures (default: derived from
                            SECRET_KEY)
SANDBOX_WEBHOOK_TRANSPORT   "http": a real HTTP POST to the webhook URL (default);
                            "inprocess": through Django's test client (tests)
SANDBOX_WEBHOOK_DELIVERY    "task": a background task per webhook, queued on commit (default);
                            "poll": only ``tremplin sandbox-deliver`` delivers (benchmarks)
SANDBOX_CHAOS               duplicate every webhook 1–3 times, delay and reorder them
SANDBOX_CHAOS_MAX_DUPLICATES  extra copies at most (default 3)
SANDBOX_CHAOS_MAX_DELAY     seconds of random delay at most (default 2)
SANDBOX_REFUND_FAILURES     the first N refund attempts of each charge fail with a
                            temporary error (default 0)
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac

SIGNATURE_HEADER = "Sandbox-Signature"
SIGNATURE_META = "HTTP_SANDBOX_SIGNATURE"
SIGNATURE_TOLERANCE = 300  # seconds
MAX_WEBHOOK_ATTEMPTS = 8
TEST_CARDS = {
    "4242424242424242": ("succeeded", ""),
    "4000000000000002": ("declined", "card_declined"),
    "4000000000009995": ("declined", "insufficient_funds"),
}


def webhook_secret() -> str:
    secret = getattr(settings, "SANDBOX_WEBHOOK_SECRET", "")
    if secret:
        return secret
    return salted_hmac("tremplin.sandbox.webhook-secret", "sandbox").hexdigest()


def transport() -> str:
    return getattr(settings, "SANDBOX_WEBHOOK_TRANSPORT", "http")


def delivery() -> str:
    return getattr(settings, "SANDBOX_WEBHOOK_DELIVERY", "task")


def chaos() -> bool:
    return bool(getattr(settings, "SANDBOX_CHAOS", False))


def chaos_max_duplicates() -> int:
    return int(getattr(settings, "SANDBOX_CHAOS_MAX_DUPLICATES", 3))


def chaos_max_delay() -> float:
    return float(getattr(settings, "SANDBOX_CHAOS_MAX_DELAY", 2.0))


def refund_failures() -> int:
    return int(getattr(settings, "SANDBOX_REFUND_FAILURES", 0))


def retry_delay(attempts: int) -> int:
    """Seconds before the next delivery attempt: 5 s, 10 s, 20 s… at most an hour."""
    return min(5 * 2 ** max(attempts - 1, 0), 3600)
