from __future__ import annotations

import pytest

from tremplin.sandbox.signing import SignatureError, parse_header, sign, verify

SECRET = "shared-secret"


def test_sign_then_verify():
    header = sign('{"a": 1}', SECRET, timestamp=1_700_000_000)
    assert header.startswith("t=1700000000,v1=")
    verify('{"a": 1}', header, SECRET, tolerance=300, now=1_700_000_100)
    verify(b'{"a": 1}', header, SECRET, tolerance=300, now=1_700_000_100)


@pytest.mark.parametrize(
    "body, secret, now",
    [
        ('{"a": 2}', SECRET, 1_700_000_000),  # another body
        ('{"a": 1}', "other", 1_700_000_000),  # another secret
        ('{"a": 1}', SECRET, 1_700_000_301),  # too late
        ('{"a": 1}', SECRET, 1_699_999_699),  # too early
    ],
)
def test_verify_refuses(body, secret, now):
    header = sign('{"a": 1}', SECRET, timestamp=1_700_000_000)
    with pytest.raises(SignatureError):
        verify(body, header, secret, tolerance=300, now=now)


@pytest.mark.parametrize("header", ["", "t=", "t=x,v1=ab", "v1=ab", "t=1", "nonsense"])
def test_malformed_headers(header):
    with pytest.raises(SignatureError):
        verify("{}", header, SECRET, tolerance=300, now=1)


def test_several_signatures_one_valid():
    """Secret rotation: any v1 signature may match."""
    good = sign("{}", SECRET, timestamp=10).split("v1=")[1]
    timestamp, signatures = parse_header(f"t=10,v1={'0' * 64},v1={good}")
    assert timestamp == 10 and len(signatures) == 2
    verify("{}", f"t=10,v1={'0' * 64},v1={good}", SECRET, tolerance=300, now=10)


def test_a_non_utf8_body_is_refused():
    with pytest.raises(SignatureError):
        verify(b"\xff\xfe", sign("x", SECRET), SECRET, tolerance=300)
