"""The registry covers every model of INSTALLED_APPS that holds personal data: a model
with a link to the user, an e-mail field or a field named like a person's data (name,
phone, address, message…) must be declared (privacy/registry.py, or its app's
personal_data.py) or listed as not personal with a reason. A new app's model fails here
until it says how it is exported and erased."""

from __future__ import annotations

from django.db import models

from tremplin.privacy.erasure import CUSTOM_ERASURES
from tremplin.privacy.registry import (
    CUSTOM,
    declarations,
    personal_fields_of,
    undeclared_models,
)


def test_every_model_holding_personal_data_is_declared():
    missing = undeclared_models()
    assert not missing, (
        "models holding personal data without a declaration in the privacy registry "
        f"(see privacy/registry.py): {missing}"
    )


def test_every_personal_field_of_a_declared_model_is_accounted_for():
    gaps = []
    for declaration in declarations():
        model = declaration.model_class
        known = {
            *declaration.fields,
            *declaration.files,
            *declaration.actors,
            *declaration.exempt,
            *(p for p in declaration.user if "__" not in p),
            *(p for p in declaration.email if "__" not in p),
        }
        for name in personal_fields_of(model):
            if name not in known:
                gaps.append(f"{declaration.model}.{name}")
    assert not gaps, f"personal fields the declarations do not mention: {gaps}"


def test_declarations_name_real_fields_and_lookups():
    for declaration in declarations():
        model = declaration.model_class
        for name in (*declaration.fields, *declaration.files, *declaration.actors):
            field = model._meta.get_field(name)
            if name in declaration.actors:
                assert field.null, f"{declaration.model}.{name}: an actor link must be nullable"
        for name in declaration.files:
            assert isinstance(model._meta.get_field(name), models.FileField)
        # Every lookup and export column resolves (the query compiles).
        for path in (*declaration.user, *declaration.email):
            str(model._default_manager.filter(**{path: None}).query)
        str(model._default_manager.values(*declaration.columns).query)
        if declaration.erasure == CUSTOM:
            assert declaration.model.lower() in CUSTOM_ERASURES, declaration.model


def test_an_undeclared_personal_model_is_caught(monkeypatch):
    """Take the contributions' declaration away: the coverage reports the model."""
    from tremplin.funding.models import Contribution
    from tremplin.privacy import registry

    assert {"user", "name", "email", "address", "message"} <= set(personal_fields_of(Contribution))
    collected, excluded = registry._collected()
    without = {k: v for k, v in collected.items() if k != "funding.contribution"}
    monkeypatch.setattr(registry, "_collected", lambda: (without, excluded))
    assert any(m.startswith("funding.Contribution") for m in undeclared_models())
