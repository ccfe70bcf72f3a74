"""`quizapp draft` as a user runs it: output, files, merge, and errors without tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.inprocess import run_quizapp

from .helpers import DATA


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    return {
        **os.environ,
        "QUIZAPP_DB": str(tmp_path / "progress.db"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "QUIZAPP_DECKS": "",
    }


def run(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_quizapp(args, env=env)


def test_draft_prints_a_deck_that_validates(env: dict[str, str], tmp_path: Path) -> None:
    done = run(env, "draft", DATA / "docker-notes.md")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("# Drafted by `quizapp draft`")
    assert '\ndeck: docker-notes\ntitle: "Docker"\n' in done.stdout
    deck = tmp_path / "printed.yaml"
    deck.write_text(done.stdout, encoding="utf-8")
    checked = run(env, "validate", deck)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout.strip().endswith("1 deck, 98 cards: 0 errors, 0 warnings")


def test_output_file_deck_id_and_title(env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "git.yaml"
    done = run(
        env, "draft", DATA / "git-cheatsheet.md", "-o", out, "--deck", "git", "--title", "Git"
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"{out}: drafted 20 cards\n"
    text = out.read_text(encoding="utf-8")
    assert '\ndeck: git\ntitle: "Git"\nsource: "git-cheatsheet.md"\n' in text
    assert run(env, "validate", out).returncode == 0
    again = tmp_path / "again.yaml"
    run(env, "draft", DATA / "git-cheatsheet.md", "-o", again, "--deck", "git", "--title", "Git")
    assert again.read_bytes() == out.read_bytes()


def test_merge_through_the_cli(env: dict[str, str], tmp_path: Path) -> None:
    notes = tmp_path / "kube.md"
    shutil.copy(DATA / "kubectl-notes.md", notes)
    deck = tmp_path / "kube.yaml"
    assert run(env, "draft", notes, "-o", deck).returncode == 0
    edited = deck.read_text(encoding="utf-8").replace("What is a pod?", "Pod?")
    deck.write_text(edited, encoding="utf-8")
    with notes.open("a", encoding="utf-8") as handle:
        handle.write("- Forward a port: `kubectl port-forward <pod> 8080:80`\n")
    done = run(env, "draft", notes, "--merge", deck, "-o", deck)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"{deck}: kept 11 cards, added 1\n"
    merged = deck.read_text(encoding="utf-8")
    assert merged.startswith(edited)
    assert 'answer: "kubectl port-forward web-0 8080:80"' in merged[len(edited) :]
    assert run(env, "validate", deck).returncode == 0
    printed = run(env, "draft", notes, "--merge", deck)
    assert (printed.returncode, printed.stdout) == (0, merged)
    assert deck.read_text(encoding="utf-8") == merged


def test_merge_without_output_updates_the_deck_and_prints_it(
    env: dict[str, str], tmp_path: Path
) -> None:
    notes = tmp_path / "kube.md"
    shutil.copy(DATA / "kubectl-notes.md", notes)
    deck = tmp_path / "kube.yaml"
    assert run(env, "draft", notes, "-o", deck).returncode == 0
    edited = deck.read_text(encoding="utf-8").replace("What is a pod?", "Pod?")
    deck.write_text(edited, encoding="utf-8")
    with notes.open("a", encoding="utf-8") as handle:
        handle.write("- Forward a port: `kubectl port-forward <pod> 8080:80`\n")
    done = run(env, "draft", notes, "--merge", deck)
    assert (done.returncode, done.stderr) == (0, "")
    merged = deck.read_text(encoding="utf-8")
    assert done.stdout == merged
    assert merged.startswith(edited)
    assert merged[len(edited) :].count("\n  - id: ") == 1
    assert 'answer: "kubectl port-forward web-0 8080:80"' in merged[len(edited) :]
    again = run(env, "draft", notes, "--merge", deck)
    assert (again.returncode, again.stdout) == (0, merged)
    assert deck.read_text(encoding="utf-8") == merged


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["draft", "missing.md"], "quizapp: error: no such notes file: missing.md\n"),
        (["draft", "."], "quizapp: error: . is a folder, not a notes file\n"),
        (["draft", "latin1.md"], "quizapp: error: latin1.md is not UTF-8 text (byte 2)\n"),
        (
            ["draft", "ok.md", "--deck", "Bad_Id"],
            "quizapp: error: deck id 'Bad_Id' must match ^[a-z0-9][a-z0-9-]{0,63}$ "
            "(lowercase letters, digits and hyphens)\n",
        ),
        (
            ["draft", "ok.md", "--merge", "nope.yaml"],
            "quizapp: error: no such deck file: nope.yaml\n",
        ),
    ],
)
def test_unreadable_input_exits_2_with_one_clear_line(
    env: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "latin1.md").write_bytes(b"# \xe9t\xe9\n")
    (tmp_path / "ok.md").write_text("# T\n* `docker ps`\n", encoding="utf-8")
    done = run_quizapp(args, env=env, cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", message)


def test_merging_into_a_broken_deck_lists_its_errors(env: dict[str, str], tmp_path: Path) -> None:
    notes = tmp_path / "n.md"
    notes.write_text("# T\n* `docker ps`\n", encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("deck: t\ntitle: T\ncards:\n  - id: Bad\n    front: a\n    back: b\n")
    done = run(env, "draft", notes, "--merge", broken)
    assert done.returncode == 2
    assert done.stderr.startswith(f"quizapp: error: cannot merge into {broken}: it has errors\n")
    assert f"{broken}:4:9: error: card id 'Bad' must match" in done.stderr
    assert "Traceback" not in done.stderr


def test_notes_with_nothing_to_draft(env: dict[str, str], tmp_path: Path) -> None:
    notes = tmp_path / "empty.md"
    notes.write_text("# Only a title\n\n", encoding="utf-8")
    done = run(env, "draft", notes)
    assert (done.returncode, done.stdout) == (1, "")
    assert (
        done.stderr
        == f"quizapp: error: nothing to draft: {notes} has no statements to make cards of\n"
    )


def test_an_unwritable_output_is_an_error(env: dict[str, str], tmp_path: Path) -> None:
    done = run(env, "draft", DATA / "kubectl-notes.md", "-o", tmp_path / "no" / "such" / "d.yaml")
    assert done.returncode == 1
    assert done.stderr.startswith("quizapp: error: cannot write ")
    assert "Traceback" not in done.stderr


def test_merge_keeps_a_byte_order_mark(env: dict[str, str], tmp_path: Path) -> None:
    notes = tmp_path / "n.md"
    notes.write_text("# T\n## Vols\n* `docker volume ls`\n", encoding="utf-8")
    deck = tmp_path / "d.yaml"
    deck.write_bytes(
        b"\xef\xbb\xbfdeck: t\ntitle: T\ncards:\n  - id: x\n    front: a\n    back: b\n"
    )
    before = deck.read_bytes()
    done = run(env, "draft", notes, "--merge", deck, "-o", deck)
    assert (done.returncode, done.stderr) == (0, "")
    after = deck.read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].decode("utf-8").startswith("\n  # from: ")
    assert run(env, "validate", deck).returncode == 0


def test_written_decks_get_ordinary_permissions(env: dict[str, str], tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    assert run(env, "draft", DATA / "kubectl-notes.md", "-o", new).returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask
    new.chmod(0o640)
    assert run(env, "draft", DATA / "kubectl-notes.md", "--merge", new, "-o", new).returncode == 0
    assert new.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
