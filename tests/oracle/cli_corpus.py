"""The corpora of the bundled models other than Docker's: pairs of command lines with labels.

`NAME_corpus.yaml` (git, kubectl, systemctl, journalctl) lists pairs: the accepted answer, what
was typed, whether the two do the same, and who says so: `git` (git itself, run on a scratch
repository by `git_oracle`: same output, same exit status, same state left) or `docs: URL`
(the program is not installed here: the page of its parser or command that says so).

`python -m tests.oracle.cli_corpus git` labels the git pairs listed in `git_pairs.py` with the
oracle and rewrites git_corpus.yaml.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).parent
MODELS = ("git", "kubectl", "systemctl", "journalctl")


@dataclass(frozen=True)
class Pair:
    answer: str
    typed: str
    same: bool
    by: str


def corpus_file(model: str) -> Path:
    return HERE / f"{model}_corpus.yaml"


def load(model: str) -> list[Pair]:
    data = yaml.safe_load(corpus_file(model).read_text(encoding="utf-8"))
    return [Pair(str(d["answer"]), str(d["typed"]), bool(d["same"]), str(d["by"])) for d in data]


def write(model: str, pairs: list[Pair], header: str) -> None:
    rows = [{"answer": p.answer, "typed": p.typed, "same": p.same, "by": p.by} for p in pairs]
    text = yaml.safe_dump(rows, sort_keys=False, allow_unicode=True, width=100)
    corpus_file(model).write_text(header + text, encoding="utf-8")


def agreement(pairs: list[Pair]) -> tuple[int, list[Pair]]:
    """How many pairs the grader labels as the corpus does, and the others."""
    from quizapp.grading import Verdict, grade_command

    wrong = [
        p for p in pairs if (grade_command(p.typed, [p.answer]).verdict is Verdict.RIGHT) != p.same
    ]
    return len(pairs) - len(wrong), wrong


def _label_git() -> int:
    from tests.oracle.git_oracle import git_oracle
    from tests.oracle.git_pairs import PAIRS

    git = shutil.which("git")
    if git is None:
        print("git is not installed", file=sys.stderr)
        return 1
    pairs: list[Pair] = []
    with git_oracle(git) as oracle:
        for answer, typed in PAIRS:
            pairs.append(Pair(answer, typed, oracle.same(answer, typed), "git"))
    header = (
        "# Labelled by git itself (python -m tests.oracle.cli_corpus git): same = the same\n"
        "# output, exit status and repository state in a scratch repository.\n"
    )
    write("git", pairs, header)
    same = sum(p.same for p in pairs)
    print(f"{len(pairs)} pairs: {same} same, {len(pairs) - same} different")
    return 0


if __name__ == "__main__":
    raise SystemExit(_label_git() if sys.argv[1:] == ["git"] else 2)
