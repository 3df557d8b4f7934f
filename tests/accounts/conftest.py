from __future__ import annotations

import re

import pytest
from django.core import mail


@pytest.fixture
def outbox():
    mail.outbox.clear()
    return mail.outbox


def links_in(message) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", message.body)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
