"""Helpers shared by the campaigns tests."""

from __future__ import annotations

import re


def html_language(message) -> str:
    """The language an e-mail was rendered in (its HTML part's lang attribute)."""
    html = message.alternatives[0][0]
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def outside_templates(html: str) -> str:
    """The page without the content of its <template> elements (inert until a script
    clones them)."""
    return re.sub(r"<template>.*?</template>", "", html, flags=re.S)
