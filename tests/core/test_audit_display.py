"""The audit log as organisers read it: human, translated labels and details."""

from __future__ import annotations

import importlib.util
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tests import factories
from tremplin.calls import programmes
from tremplin.core.audit import action_label, describe, entries_for, log_action, registered_actions
from tremplin.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_every_action_logged_by_the_code_has_a_label():
    from pathlib import Path

    import tremplin

    source = "\n".join(
        path.read_text()
        for path in Path(tremplin.__file__).parent.rglob("*.py")
        if "migrations" not in path.parts
    )
    actions = set(re.findall(r'"(tremplin\.[a-z_]+\.[a-z_]+)"', source))
    # Dotted paths of modules ("tremplin.calls.urls", "tremplin.wsgi.application") are not
    # actions.
    actions = {a for a in actions if importlib.util.find_spec(a.rsplit(".", 1)[0]) is None}
    missing = sorted(a for a in actions if a not in registered_actions())
    assert not missing, missing


def test_action_label_falls_back_to_the_raw_action():
    assert action_label("tremplin.something.unknown") == "tremplin.something.unknown"
    with translation.override("en"):
        assert action_label("tremplin.application.submitted") == "Application submitted"


def test_describe_turns_states_and_fields_into_labels(programme, manager):
    with translation.override("en"):
        programmes.close_call(programme, user=manager)
        entry = entries_for(programme).first()
        assert dict(describe(entry)) == {"from": "Call open", "to": "Call closed"}

        log_action(
            "tremplin.programme.changed",
            obj=programme,
            user=manager,
            data={"changed": {"call_closes_at": "x", "name": "y"}},
        )
        entry = entries_for(programme).first()
        [(label, value)] = describe(entry)
        assert label == "changed"
        # (PostgreSQL's jsonb does not keep the order of keys.)
        assert set(value.split(", ")) == {"application deadline", "name"}


def test_audit_log_template_renders_a_table(programme, manager):
    log_action(
        "tremplin.programme.call_closed",
        obj=programme,
        user=manager,
        data={"from": "call_open", "to": "call_closed"},
    )
    log_action(
        "tremplin.mystery.thing",
        obj=programme,
        data={"reason": "<script>alert(1)</script>", "api_token": "s3cr3t"},
    )
    with translation.override("en"):
        html = render_to_string("core/_audit_log.html", {"entries": entries_for(programme)})
    assert '<th scope="col">When</th>' in html
    assert "Call for projects closed" in html
    assert "tremplin.mystery.thing" in html
    assert str(manager) in html
    assert "System" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "s3cr3t" not in html


def test_audit_log_template_empty_state():
    with translation.override("en"):
        html = render_to_string("core/_audit_log.html", {"entries": []})
    assert "Nothing has been recorded yet." in html


def test_audit_log_template_is_translated_to_french(programme, manager):
    programmes.close_call(programme, user=manager)
    with translation.override("fr"):
        html = render_to_string("core/_audit_log.html", {"entries": entries_for(programme)})
    assert "<html" not in html
    assert "<table" in html


def test_rendering_many_entries_needs_a_fixed_number_of_queries(
    programme, manager, django_assert_max_num_queries
):
    for i in range(30):
        log_action(
            "tremplin.programme.changed",
            obj=programme,
            user=manager,
            data={"changed": ["name"], "count": i},
        )
    entries = entries_for(programme)
    with django_assert_max_num_queries(2):
        render_to_string("core/_audit_log.html", {"entries": entries})
    assert AuditLog.objects.count() == 30


def test_describe_ignores_odd_data():
    entry = AuditLog(action="x", data={"empty": "", "none": None, "flag": True, "list": [1, 2]})
    with translation.override("en"):
        assert describe(entry) == [("flag", "yes"), ("list", "1, 2")]
    assert describe(AuditLog(action="x", data=["not", "a", "dict"])) == []


def test_branding_include_keeps_contrast():
    from tremplin.core.colours import contrast_ratio
    from tremplin.core.templatetags.tremplin_core import hex_colour, readable_on_white

    assert readable_on_white("#0B5FA5") == "#0b5fa5"
    for light in ("#ffff00", "#e4572e", "#ffffff", "#7fdbff"):
        darker = readable_on_white(light)
        assert contrast_ratio(darker, "#ffffff") >= 4.5, (light, darker)
    assert readable_on_white("red; } body { display:none") == "#0b5fa5"
    assert readable_on_white(None) == "#0b5fa5"
    assert hex_colour("#E4572E") == "#e4572e"
    assert hex_colour("</style><script>") == "#e4572e"

    html = render_to_string(
        "core/_branding.html", {"primary": "#ffff00", "secondary": "</style><script>x"}
    )
    assert "<script>" not in html
    assert "--brand-primary: #" in html


def test_factories_still_build():
    assert factories.ProgrammeFactory().pk
