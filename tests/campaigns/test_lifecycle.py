"""One owner for ``Campaign.state``: ``campaigns.lifecycle.set_campaign_state`` is its only
writer (checked by reading the source), and it follows ``CAMPAIGN_TRANSITIONS``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tremplin
from tests.campaigns.factories import CampaignFactory
from tremplin.campaigns.enums import CAMPAIGN_TRANSITIONS, CampaignState
from tremplin.campaigns.errors import CampaignError
from tremplin.campaigns.lifecycle import set_campaign_state
from tremplin.core.models import AuditLog

PACKAGE = Path(tremplin.__file__).parent
OWNER = PACKAGE / "campaigns" / "lifecycle.py"
QUERYSET_WRITES = {"update", "create", "get_or_create", "update_or_create", "bulk_create"}


def _root_name(node: ast.AST) -> str | None:
    """The name a chain of calls and attributes starts from: ``Campaign`` for
    ``Campaign.objects.filter(...).update(...)``."""
    while isinstance(node, ast.Call | ast.Attribute | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _campaign_names(tree: ast.AST) -> set[str]:
    """Names bound, anywhere in the module, to something built from ``Campaign``
    (``locked = Campaign.objects.select_for_update().get(...)``, ``lock_campaign(...)``),
    and every name that says it is one (``campaign``, ``locked_campaign``…)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            value = node.value
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            source = ast.unparse(value) if value is not None else ""
            if "Campaign" in source or "lock_campaign" in source:
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
        if isinstance(node, ast.arg) and (
            "campaign" in node.arg.lower()
            or (node.annotation is not None and "Campaign" in ast.unparse(node.annotation))
        ):
            names.add(node.arg)
        if isinstance(node, ast.Name) and "campaign" in node.id.lower():
            names.add(node.id)
    return names


def state_writes(source: str) -> list[str]:
    """Every place ``source`` writes a campaign's state, as ``line: code``."""
    tree = ast.parse(source)
    campaigns = _campaign_names(tree)
    found: list[tuple[int, str]] = []

    def is_campaign(node: ast.AST) -> bool:
        text = ast.unparse(node)
        return _root_name(node) in campaigns or "campaign" in text.lower()

    for node in ast.walk(tree):
        # campaign.state = …, locked.state += …, campaign.state: str = …
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for leaf in ast.walk(target):
                if (
                    isinstance(leaf, ast.Attribute)
                    and leaf.attr == "state"
                    and isinstance(leaf.ctx, ast.Store)
                    and is_campaign(leaf.value)
                ):
                    found.append((node.lineno, ast.unparse(node)))
        if not isinstance(node, ast.Call):
            continue
        keywords = {k.arg for k in node.keywords}
        writes_state = "state" in keywords or None in keywords  # state=… or **values
        func = node.func
        root = _root_name(func)
        # Campaign(…, state=…)
        if isinstance(func, ast.Name) and func.id == "Campaign" and writes_state:
            found.append((node.lineno, ast.unparse(node)))
        # Campaign.objects….update(state=…), .create(state=…), …
        if (
            isinstance(func, ast.Attribute)
            and func.attr in QUERYSET_WRITES
            and root == "Campaign"
            and writes_state
        ):
            found.append((node.lineno, ast.unparse(node)))
        # setattr(campaign, "state", …)
        if (
            isinstance(func, ast.Name)
            and func.id == "setattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value == "state"
            and is_campaign(node.args[0])
        ):
            found.append((node.lineno, ast.unparse(node)))
        # campaign.save(update_fields=[…, "state", …]), Campaign.objects.bulk_update(…, ["state"])
        if isinstance(func, ast.Attribute) and func.attr in ("save", "bulk_update"):
            fields = [k.value for k in node.keywords if k.arg in ("update_fields", "fields")]
            fields += node.args[1:2] if func.attr == "bulk_update" else []
            names = {c.value for f in fields for c in ast.walk(f) if isinstance(c, ast.Constant)}
            if "state" in names and (is_campaign(func.value) or root == "Campaign"):
                found.append((node.lineno, ast.unparse(node)))
    return [f"{line}: {code}" for line, code in sorted(set(found))]


def _modules() -> list[Path]:
    """Every module of the application but the owner, the migrations, and the demo app:
    ``tremplin/demo/`` is the bulk loader of the demonstration, which creates campaigns
    directly in the states of its story (it is the composition root, never imported by an
    app)."""
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if path == OWNER or "migrations" in parts or parts[0] == "demo":
            continue
        modules.append(path)
    return modules


def test_the_scanner_finds_each_kind_of_state_write():
    source = """
def g(locked: Campaign, new_state):
    locked.state = new_state


def f(campaign, pk, values):
    campaign.state = "live"
    locked = Campaign.objects.select_for_update().get(pk=pk)
    locked.state = "failed"
    Campaign.objects.filter(pk=pk).update(state="closed")
    Campaign.objects.filter(pk=pk).update(**values)
    Campaign(title="x", state="draft")
    Campaign.objects.create(state="live")
    setattr(campaign, "state", "live")
    locked.save(update_fields=["state", "updated_at"])
    contribution.state = "confirmed"
    Comment.objects.filter(pk=pk).update(state="hidden")
    Campaign.objects.filter(pk=pk).update(raised_amount=0)
"""
    found = state_writes(source)
    assert len(found) == 9, found
    assert not any("contribution" in line or "Comment" in line for line in found)
    assert not any("raised_amount" in line for line in found)


def test_no_module_but_lifecycle_writes_the_campaign_state():
    modules = _modules()
    assert len(modules) > 50
    assert PACKAGE / "funding" / "settlement.py" in modules
    offenders = {
        str(path.relative_to(PACKAGE)): writes
        for path in modules
        if (writes := state_writes(path.read_text(encoding="utf-8")))
    }
    assert not offenders, offenders
    # The owner does write it (the scanner sees it there).
    assert state_writes(OWNER.read_text(encoding="utf-8"))


def test_every_state_has_its_transitions():
    assert set(CAMPAIGN_TRANSITIONS) == set(CampaignState.values)
    for targets in CAMPAIGN_TRANSITIONS.values():
        assert targets <= set(CampaignState.values)


@pytest.mark.django_db
def test_set_campaign_state_follows_the_table_from_the_database_row():
    campaign = CampaignFactory(state=CampaignState.DRAFT)
    with pytest.raises(CampaignError) as error:
        set_campaign_state(
            campaign.pk, CampaignState.LIVE, user=None, action="tremplin.campaign.launched"
        )
    assert error.value.code == "state"
    stale = CampaignFactory._meta.model.objects.get(pk=campaign.pk)
    set_campaign_state(
        campaign.pk, CampaignState.IN_REVIEW, user=None, action="tremplin.campaign.submitted"
    )
    # A stale copy (still DRAFT in memory) cannot make a move the row does not allow.
    with pytest.raises(CampaignError):
        set_campaign_state(
            stale, CampaignState.IN_REVIEW, user=None, action="tremplin.campaign.submitted"
        )
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.IN_REVIEW
    row = AuditLog.objects.get(action="tremplin.campaign.submitted")
    assert row.data == {"from": "draft", "to": "in_review"}
