"""`tremplin audit-ledger` (the command lives in audit_ledger.py)."""

from tremplin.payments.management.commands.audit_ledger import Command

__all__ = ["Command"]
