"""Dependencies point inward: the pure packages import no UI, database or export library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quizapp"
PURE = ("deck", "scheduling", "grading", "draft")
FORBIDDEN_IN_PURE = (
    "textual",
    "rich",
    "sqlalchemy",
    "genanki",
    "alembic",
    "click",
    "quizapp.storage",
    "quizapp.tui",
    "quizapp.export",
    "quizapp.cli",
)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_import_nothing_outward(package: str) -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: imports {name}"
        for path in sorted((PACKAGE / package).rglob("*.py"))
        for line, name in _imports(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN_IN_PURE)
    ]
    assert offenders == []


def test_storage_and_export_do_not_import_the_ui() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: imports {name}"
        for package in ("storage", "export")
        for path in sorted((PACKAGE / package).rglob("*.py"))
        for line, name in _imports(path)
        if name.split(".")[0] == "textual" or name.startswith("quizapp.tui")
    ]
    assert offenders == []


def test_cli_module_imports_no_textual_sqlalchemy_or_export() -> None:
    code = (
        "import sys, quizapp.cli; "
        "bad = [m for m in ('textual', 'sqlalchemy', 'quizapp.export', 'quizapp.tui')"
        " if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
