"""`quizapp ARGS` run in the test process: `cli.main(argv)`, as a process would see it.

Starting Python and importing quizapp costs about half a second a case; most CLI tests are
about what a command prints and its exit code, which `main(argv)` gives exactly: this runs it
with the given environment (TZ included: `time.tzset`), working folder and stdin (not a
terminal), captures stdout and stderr, and turns `SystemExit` into the exit code. Everything
is put back afterwards.

Tests where the process boundary is the point (signals, a TTY, the installed entry point's
exit code, imports of a fresh interpreter, kills) start a real process instead.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from quizapp.cli import main


@contextlib.contextmanager
def _environment(env: Mapping[str, str] | None, cwd: Path | str | None) -> Iterator[None]:
    saved_env = dict(os.environ)
    saved_cwd = os.getcwd()
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
            time.tzset()  # TZ, as a new process would read it
        if cwd is not None:
            os.chdir(cwd)
        yield
    finally:
        os.chdir(saved_cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(saved_env)
            time.tzset()


def run_quizapp(
    args: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | str | None = None,
    stdin: str = "",
) -> subprocess.CompletedProcess[str]:
    """`quizapp ARGS` in this process; `env` replaces the environment while it runs."""
    argv = [str(arg) for arg in args]
    out, err = io.StringIO(), io.StringIO()
    streams = sys.stdin, sys.stdout, sys.stderr
    code: int = 0
    with _environment(env, cwd):
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(stdin), out, err
        try:
            main(argv)
        except SystemExit as done:
            if done.code is None or isinstance(done.code, int):
                code = done.code or 0
            else:  # as Python itself does with sys.exit("message")
                err.write(f"{done.code}\n")
                code = 1
        finally:
            sys.stdin, sys.stdout, sys.stderr = streams
    return subprocess.CompletedProcess(["quizapp", *argv], code, out.getvalue(), err.getvalue())
