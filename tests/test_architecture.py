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


# --- pure means pure: no clock, environment, file or platformdirs in the core ---------------

CORE = ("deck", "scheduling", "grading")
"""The packages that take what they need as arguments (today, paths' contents, settings)."""
CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "monotonic"),
    ("time", "monotonic_ns"),
    ("time", "perf_counter"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
    ("time", "strftime"),
}
ENVIRONMENT_NAMES = {"environ", "environb", "getenv", "getenvb", "putenv", "unsetenv"}
FILE_METHODS = {
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
    "open",
    "stat",
    "lstat",
    "exists",
    "is_file",
    "is_dir",
    "iterdir",
    "glob",
    "rglob",
    "mkdir",
    "unlink",
    "touch",
    "rmdir",
    "chmod",
    "expanduser",
    "home",
    "cwd",
}
OS_FILE_CALLS = {
    "open",
    "fdopen",
    "read",
    "write",
    "stat",
    "lstat",
    "listdir",
    "scandir",
    "walk",
    "remove",
    "unlink",
    "replace",
    "rename",
    "mkdir",
    "makedirs",
    "rmdir",
    "chmod",
    "umask",
    "access",
    "getcwd",
}
IMPURE_MODULES = (
    "platformdirs",
    "tempfile",
    "shutil",
    "glob",
    "fileinput",
    "quizapp.files",
    "quizapp.paths",
    "quizapp.config",
    "quizapp.deckfiles",
    "quizapp.deck_cache",
    "quizapp.commands",
)
PACKAGE_DATA = {("grading/model.py", "read_text")}
"""The one allowed read: the grading package's own data files (the CLI model TOML), through
`importlib.resources`: the same bytes on every run, shipped with the code like a module."""


def _impurities(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(PACKAGE).as_posix()
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in {"open", "input", "print"}:
                found.append(f"{where}:{node.lineno}: calls {func.id}()")
            elif isinstance(func, ast.Attribute):
                owner = func.value
                owner_name = (
                    owner.id
                    if isinstance(owner, ast.Name)
                    else owner.attr
                    if isinstance(owner, ast.Attribute)
                    else ""
                )
                if (owner_name, func.attr) in CLOCK_CALLS:
                    found.append(
                        f"{where}:{node.lineno}: reads the clock ({owner_name}.{func.attr})"
                    )
                elif owner_name in {"os", "path"} and func.attr in OS_FILE_CALLS | {
                    "exists",
                    "isfile",
                    "isdir",
                    "getsize",
                    "getmtime",
                    "realpath",
                    "abspath",
                }:
                    found.append(f"{where}:{node.lineno}: touches files ({owner_name}.{func.attr})")
                elif func.attr in FILE_METHODS and (where, func.attr) not in PACKAGE_DATA:
                    found.append(f"{where}:{node.lineno}: touches files (.{func.attr}())")
        elif isinstance(node, ast.Attribute) and node.attr in ENVIRONMENT_NAMES:
            found.append(f"{where}:{node.lineno}: reads the environment ({node.attr})")
        elif isinstance(node, ast.ImportFrom) and node.module in {"os", "time"}:
            banned = (
                ENVIRONMENT_NAMES | OS_FILE_CALLS
                if node.module == "os"
                else {attr for owner, attr in CLOCK_CALLS if owner == "time"}
            )
            for alias in node.names:
                if alias.name in banned:
                    found.append(f"{where}:{node.lineno}: imports {node.module}.{alias.name}")
    for line, name in _imports(path):
        if any(name == bad or name.startswith(bad + ".") for bad in IMPURE_MODULES):
            found.append(f"{where}:{line}: imports {name}")
    return found


@pytest.mark.parametrize("package", CORE)
def test_the_core_reads_no_clock_environment_or_file(package: str) -> None:
    offenders = [
        finding
        for path in sorted((PACKAGE / package).rglob("*.py"))
        for finding in _impurities(path)
    ]
    assert offenders == []


def test_the_purity_check_finds_each_kind_of_impurity(tmp_path: Path) -> None:
    """The check above can fail: each banned use, planted in a module, is found."""
    planted = {
        "from datetime import datetime\nx = datetime.now()\n": "reads the clock",
        "import datetime\nx = datetime.date.today()\n": "reads the clock",
        "import time\nx = time.time()\n": "reads the clock",
        "import os\nx = os.environ.get('A')\n": "reads the environment",
        "import os\nx = os.getenv('A')\n": "reads the environment",
        "x = open('f').read()\n": "calls open()",
        "from pathlib import Path\nx = Path('f').read_bytes()\n": "touches files",
        "from pathlib import Path\nPath('f').write_text('x')\n": "touches files",
        "import os\nos.replace('a', 'b')\n": "touches files",
        "from os import environ\n": "imports os.environ",
        "from time import monotonic\n": "imports time.monotonic",
        "import platformdirs\n": "imports platformdirs",
        "def f():\n    from quizapp.files import read_capped\n": "imports quizapp.files",
    }
    folder = PACKAGE / "deck"
    for number, (source, expected) in enumerate(planted.items()):
        module = folder / f"_planted_{number}.py"
        module.write_text(source, encoding="utf-8")
        try:
            findings = _impurities(module)
        finally:
            module.unlink()
        assert any(expected in finding for finding in findings), (source, findings)
    assert _impurities(PACKAGE / "deck" / "model.py") == []


# --- no import cycles, function-level imports included ------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(path: Path, modules: set[str]) -> set[str]:
    """The quizapp modules `path` imports when it runs (at the top or inside functions), leaving
    out `if TYPE_CHECKING:` blocks, which never run."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in modules else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {module for module in found if module in modules and module != name}


def _import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(path) for path in paths}
    return {_module_name(path): _runtime_imports(path, modules) for path in paths}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(components)


def test_no_import_cycles_anywhere_in_quizapp() -> None:
    assert _cycles(_import_graph()) == []


def test_the_cycle_check_sees_function_level_imports() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    modules = {"quizapp.deck.loader", "quizapp.grading"}
    source = PACKAGE / "deck" / "_planted_cycle.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import quizapp.deck.loader\n"
        "def f():\n    from quizapp.grading import grade_card\n",
        encoding="utf-8",
    )
    try:
        assert _runtime_imports(source, modules) == {"quizapp.grading"}
    finally:
        source.unlink()
