"""The git model against the installed git's own help: every option `git COMMAND --help-all`
lists is in the model, with the same short name and whether it takes a value, and the model
has no option git does not list (log, show and diff take revision and diff options that
their --help-all does not list; the model writes those from the manual)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from quizapp.grading import bundled_models
from tests.oracle.git_help import help_options
from tests.oracles import need_program

GIT = bundled_models().get("git")
assert GIT is not None
FROM_THE_MANUAL = {
    ("log",),
    ("show",),
    ("diff",),
    ("reflog",),
    ("stash", "list"),
    ("stash", "show"),
}
FROM_THE_MANUAL |= {
    ("remote", "show"),
    ("remote", "prune"),
    ("stash", "clear"),
    ("stash", "branch"),
}
FROM_THE_MANUAL |= {("bisect", "start"), ("bisect", "good"), ("bisect", "bad"), ("bisect", "reset")}
CHECKED = sorted(path for path in GIT.commands if path not in FROM_THE_MANUAL)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    git = need_program("git")
    path = tmp_path_factory.mktemp("repo")
    subprocess.run([git, "init", "-q"], cwd=path, check=True)
    return path


def test_the_model_names_the_git_version_it_was_checked_against() -> None:
    git = need_program("git")
    version = subprocess.run([git, "--version"], capture_output=True, text=True, check=True)
    assert GIT.version in version.stdout  # the model says which git it describes


@pytest.mark.parametrize("path", CHECKED, ids=" ".join)
def test_each_command_has_the_options_git_lists(repo: Path, path: tuple[str, ...]) -> None:
    git = need_program("git")
    options = help_options(git, " ".join(path), repo)
    table = GIT.commands[path].flags
    if not options:  # `git remote remove` has none
        assert not table.flags
        return
    listed: set[str] = set()
    for option in options:
        flag = (
            table.by_long.get(option.long)
            if option.long
            else table.by_short.get(option.short or "")
        )
        name = option.long or option.short
        assert flag is not None, f"git {' '.join(path)}: the model lacks {name}"
        if option.short and option.long:
            assert flag.short == option.short, f"{name}: -{option.short} in git"
        assert flag.takes_value == option.takes_value, (
            f"{name}: takes a value in git: {option.takes_value}"
        )
        if option.takes_value:
            assert flag.optional == option.optional, f"{name}: optional value in git"
        listed.add(flag.key)
    extra = [f.key for f in table.flags if f.key not in listed]
    assert not extra, f"git {' '.join(path)}: the model has options git does not list: {extra}"
