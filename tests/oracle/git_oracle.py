"""git itself as the oracle: two command lines are the same when they do the same thing.

A small repository is built once (fixed names and dates, so object ids repeat): six commits on
main by two authors, a branch `feature` one commit ahead, a merged branch `old`, a tag, a
staged change, an unstaged change, untracked files (one in a folder), a pre-commit hook
(it writes hook.log) and a bare `origin` to push to. Each command line runs in a fresh copy of
it (through the shell: quotes and pipes as a learner types them); its effect is what it
printed, its exit status and the state it left: refs, the commits reachable from them, the
index, the working tree, the stashes, the config and origin's refs. Equal effects = the same
command.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

DATE = "2026-01-02T03:04:05+00:00"


def git_env(home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LC_ALL": "C",
        "TZ": "UTC",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
        "GIT_AUTHOR_DATE": DATE,
        "GIT_COMMITTER_DATE": DATE,
        "GIT_EDITOR": "true",
        "GIT_PAGER": "cat",
        "PAGER": "cat",
        "GIT_TERMINAL_PROMPT": "0",
    }


@dataclass(frozen=True)
class Effect:
    status: int
    output: str
    state: str

    def __str__(self) -> str:
        return f"exit {self.status}\n{self.output}\n--- state\n{self.state}"


class GitOracle:
    def __init__(self, git: str, root: Path) -> None:
        self.git = git
        self.root = root
        self.env = git_env(root / "home")
        (root / "home").mkdir()
        self.template = root / "template"
        self._build()
        self.runs = 0

    def _git(self, cwd: Path, *args: str) -> str:
        return subprocess.run(
            [self.git, *args], cwd=cwd, env=self.env, check=True, capture_output=True, text=True
        ).stdout

    def _build(self) -> None:
        work = self.template / "work"
        work.mkdir(parents=True)
        self._git(self.template, "init", "-q", "--bare", "-b", "main", "origin.git")
        self._git(work, "init", "-q", "-b", "main")
        self._git(work, "config", "user.name", "Ada")
        self._git(work, "config", "user.email", "ada@example.com")
        self._git(work, "remote", "add", "origin", "../origin.git")
        for n in range(1, 7):
            (work / "a.txt").write_text("".join(f"line {i}\n" for i in range(n)))
            (work / f"f{n}.txt").write_text(f"file {n}\n")
            self._git(work, "add", "-A")
            author = "Bob <bob@example.com>" if 2 <= n <= 5 else "Ada <ada@example.com>"
            self._git(
                work, "commit", "-q", "--author", author, "-m", f"commit {n}", "-m", f"body {n}"
            )
            if n == 2:
                self._git(work, "tag", "v1")
            if n == 3:
                self._git(work, "branch", "old")
        self._git(work, "push", "-q", "origin", "main")
        self._git(work, "switch", "-q", "-c", "feature")
        (work / "feature.txt").write_text("feature\n")
        self._git(work, "add", "feature.txt")
        self._git(work, "commit", "-q", "-m", "feature work")
        self._git(work, "switch", "-q", "main")
        for repo in (work, self.template / "origin.git"):  # few folders: fast to copy
            self._git(repo, "gc", "-q", "--prune=now")
            for hooks in repo.rglob("hooks"):
                shutil.rmtree(hooks)
        hooks = work / ".git" / "hooks"
        hooks.mkdir()
        hook = hooks / "pre-commit"  # so that --no-verify shows
        hook.write_text("#!/bin/sh\necho pre-commit >> hook.log\n")
        hook.chmod(0o755)
        (work / "b.txt").write_text("staged\n")
        self._git(work, "add", "b.txt")
        (work / "a.txt").write_text("changed line\n")
        (work / "notes.txt").write_text("untracked\n")
        (work / "build").mkdir()
        (work / "build" / "out.txt").write_text("built\n")

    def _state(self, repo: Path) -> str:
        work = repo / "work"
        parts = [
            self._git(work, "for-each-ref", "--format=%(refname) %(objectname)"),
            self._git(work, "log", "--all", "--format=%H %P %s%n%b"),
            self._git(work, "ls-files", "--stage"),
            self._git(work, "status", "--porcelain", "-uall"),
            self._git(work, "stash", "list", "--format=%gd %s"),
            self._git(work, "symbolic-ref", "-q", "HEAD") if (work / ".git").exists() else "",
            (work / ".git" / "config").read_text(),
            self._git(repo / "origin.git", "for-each-ref", "--format=%(refname) %(objectname)"),
        ]
        files = sorted(
            p for p in work.rglob("*") if p.is_file() and ".git" not in p.relative_to(work).parts
        )
        for path in files:
            digest = hashlib.sha1(path.read_bytes()).hexdigest()[:12]
            parts.append(f"{path.relative_to(work)} {digest}")
        return "\n".join(parts)

    def effect(self, line: str) -> Effect:
        """What `line` does, run by bash in a fresh copy of the repository."""
        self.runs += 1
        repo = self.root / f"run{self.runs}"
        shutil.copytree(self.template, repo, symlinks=True)
        try:
            run = subprocess.run(
                ["bash", "-c", line],
                cwd=repo / "work",
                env=self.env,
                capture_output=True,
                text=True,
                timeout=30,
                stdin=subprocess.DEVNULL,
            )
            output = (run.stdout + "\n--- stderr\n" + run.stderr).replace(str(repo), "<repo>")
            return Effect(run.returncode, output, self._state(repo))
        finally:
            shutil.rmtree(repo, ignore_errors=True)

    def same(self, a: str, b: str) -> bool:
        return self.effect(a) == self.effect(b)


@contextmanager
def git_oracle(git: str) -> Iterator[GitOracle]:
    shm = Path("/dev/shm")  # memory: a scratch copy per command line is made and removed
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="quizapp-git-oracle-", dir=where) as root:
        yield GitOracle(git, Path(root))
