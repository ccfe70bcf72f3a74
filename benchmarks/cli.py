"""`python -m benchmarks.cli ARGS`: the `quizapp` command, reporting its own peak RSS at exit.

The parent cannot learn a child's peak memory from wait4: Linux carries the parent's high-water
mark into the child across fork and exec. So the command reads its VmHWM at exit and writes it
to the file named by QUIZAPP_BENCH_RSS. Everything else is exactly `quizapp ARGS`.
"""

from __future__ import annotations

import atexit
import os

from benchmarks.child import peak_rss_mb


def _report() -> None:
    target = os.environ.get("QUIZAPP_BENCH_RSS")
    if target:
        with open(target, "w", encoding="ascii") as file:
            file.write(f"{peak_rss_mb()}\n")


if __name__ == "__main__":
    atexit.register(_report)
    from quizapp.cli import main

    main()
