"""Webhook signatures: ``Sandbox-Signature: t=<unix time>,v1=<hex HMAC-SHA256>`` over
``f"{t}.{body}"`` with the shared secret (Stripe's scheme). Checked in constant time, with a
five-minute tolerance on the timestamp (both ways) against replays."""

from __future__ import annotations

import hashlib
import hmac
import time


class SignatureError(ValueError):
    pass


def sign(body: str, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def parse_header(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                raise SignatureError("bad timestamp") from None
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("missing timestamp or signature")
    return timestamp, signatures


def verify(body: bytes | str, header: str, secret: str, *, tolerance: int, now=None) -> None:
    """Raise SignatureError unless ``header`` signs ``body`` with ``secret`` recently."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise SignatureError("body is not UTF-8") from None
    timestamp, signatures = parse_header(header)
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise SignatureError("timestamp outside the tolerance")
    expected = sign(text, secret, timestamp).split("v1=", 1)[1]
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("no valid signature")
