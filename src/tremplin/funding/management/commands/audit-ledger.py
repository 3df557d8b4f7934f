"""`tremplin audit-ledger` (the command lives in audit_ledger.py)."""

from tremplin.funding.management.commands.audit_ledger import Command

__all__ = ["Command"]
