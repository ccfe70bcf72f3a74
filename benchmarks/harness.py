"""Running workloads in fresh processes and summarising them: median, p90, peak RSS.

Every figure comes from child processes, never from the process that runs the benchmark, so
imports, caches and memory of one workload never flatter another. Peak RSS is the child's own
VmHWM (workloads of `benchmarks.child`) or `wait4`'s ru_maxrss (the CLI and the pty runs).
"""

from __future__ import annotations

import errno
import json
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PYTHON = sys.executable
QUIZAPP = str(Path(PYTHON).with_name("quizapp"))
ROOT = Path(__file__).resolve().parent.parent
_ANSI = re.compile(r"\x1b(\[[0-9;?<>=:]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|.)")


@dataclass(slots=True)
class Figure:
    """Samples of one measurement (seconds) and the peak RSS of the processes that made them."""

    name: str
    samples: list[float] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p90(self) -> float:
        return percentile(self.samples, 90)

    @property
    def peak_rss_mb(self) -> float:
        return max(self.rss_mb) if self.rss_mb else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "n": len(self.samples),
            "median": self.median,
            "p90": self.p90,
            "peak_rss_mb": self.peak_rss_mb,
            "extra": self.extra,
        }


def percentile(samples: Sequence[float], pct: float) -> float:
    """The `pct`-th percentile by linear interpolation between closest ranks (numpy's default)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def child_env(home: Path, db: Path | None = None) -> dict[str, str]:
    """The environment of every child: a private home, so no user file is read or written."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZAPP_", "XDG_"))}
    env.update(
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONPATH=str(ROOT),
        PYTHONHASHSEED="0",
    )
    if db is not None:
        env["QUIZAPP_DB"] = str(db)
    return env


def run_child(name: str, params: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    """Run one `benchmarks.child` workload in a new interpreter; its JSON result + `spawned`."""
    spawned = time.time()
    done = subprocess.run(
        [PYTHON, "-m", "benchmarks.child", name, json.dumps(dict(params))],
        env=dict(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"workload {name} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    result["spawned"] = spawned
    return result


def quizapp_argv(*args: str) -> list[str]:
    """`quizapp ARGS` run so that it reports its own peak RSS (see `benchmarks.cli`)."""
    return [PYTHON, "-m", "benchmarks.cli", *args]


def run_command(argv: Sequence[str], env: Mapping[str, str]) -> tuple[float, float, str]:
    """Run a command to completion: (seconds, peak RSS in MB, its output).

    The RSS is what the command wrote to QUIZAPP_BENCH_RSS (`quizapp_argv` commands), else
    wait4's ru_maxrss, which on Linux also counts this process's own peak: an upper bound.
    """
    rss_file = Path(env.get("XDG_CACHE_HOME", "/tmp")) / f"rss-{os.getpid()}.txt"
    rss_file.parent.mkdir(parents=True, exist_ok=True)
    rss_file.unlink(missing_ok=True)
    start = time.perf_counter()
    process = subprocess.Popen(
        list(argv),
        env={**env, "QUIZAPP_BENCH_RSS": str(rss_file)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    text = output.decode("utf-8", "replace")
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} failed ({process.returncode}):\n{text[-3000:]}")
    rss = usage.ru_maxrss / 1024
    if rss_file.exists():
        rss = float(rss_file.read_text())
        rss_file.unlink()
    return seconds, rss, text


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def plain_text(raw: bytes) -> str:
    """Terminal output without escape sequences (what a reader of the screen would see)."""
    return _ANSI.sub("", raw.decode("utf-8", "replace"))


def first_screen_in_pty(
    argv: Sequence[str],
    env: Mapping[str, str],
    markers: Sequence[str],
    *,
    size: tuple[int, int] = (40, 100),
    timeout: float = 30.0,
) -> tuple[float, float]:
    """Spawn `argv` in a pseudo-terminal; seconds until any marker is on screen, peak RSS MB.

    The program is killed as soon as a marker shows: only start-up is measured.
    """
    import fcntl
    import termios

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its terminal
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
        os.execve(argv[0], list(argv), dict(env))
    buffer = b""
    found: float | None = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError as error:
                if error.errno == errno.EIO:  # the program exited
                    break
                raise
            if not chunk:
                break
            buffer += chunk
            screen = plain_text(buffer)
            if any(marker in screen for marker in markers):
                found = time.perf_counter() - start
                break
    finally:
        # The program's own high-water mark, read before it dies (wait4's would include ours).
        peak = _vm_hwm_mb(pid)
        os.kill(pid, signal.SIGKILL)
        _, _, usage = os.wait4(pid, 0)
        os.close(fd)
    if found is None:
        tail = plain_text(buffer)[-2000:]
        raise RuntimeError(f"no marker {markers} on screen within {timeout} s:\n{tail}")
    return found, peak if peak is not None else usage.ru_maxrss / 1024
