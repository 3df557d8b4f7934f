"""A contract of our own for import-linter (``lint-imports``): the apps do not import each
other's private names (``from tremplin.calls.services import _change_state``). The layers
contract sees modules, not names; this one reads each module's ``from … import`` lines.

Declared in ``pyproject.toml`` under ``[tool.importlinter]`` (``contract_types``)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def _app_of(module: str, containers: set[str]) -> str | None:
    for container in containers:
        if module.startswith(container + "."):
            return module[len(container) + 1 :].split(".", 1)[0]
    return None


class PrivateNamesContract(Contract):
    """No module of an app imports a ``_private`` name from another app's modules.

    Options: ``containers``, the packages whose children are the apps (e.g. ``tremplin``)."""

    type_name = "private_names"

    containers = fields.ListField(subfield=fields.StringField())

    def check(self, graph, verbose: bool) -> ContractCheck:
        containers = set(self.containers)  # type: ignore[arg-type]
        violations: list[str] = []
        for module in sorted(graph.modules):
            importer_app = _app_of(module, containers)
            if importer_app is None:
                continue
            spec = importlib.util.find_spec(module)
            if spec is None or not spec.origin or not spec.origin.endswith(".py"):
                continue
            tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                    continue
                imported_app = _app_of(node.module, containers)
                if imported_app is None or imported_app == importer_app:
                    continue
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        violations.append(
                            f"{module}:{node.lineno} imports {node.module}.{alias.name}"
                        )
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print("Private names imported from another app:")
        output.new_line()
        for violation in check.metadata["violations"]:
            output.print_error(f"- {violation}", bold=False)
        output.new_line()
        output.print("Make the name public in its app, or move it to core.")
