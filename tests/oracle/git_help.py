"""The options `git COMMAND --help-all` lists (git's parse-options prints every option, the
hidden ones too), to check the git model against the installed git."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_LINE = re.compile(
    r"^    (?:-(?P<short>[A-Za-z0-9#]),? ?)?(?:--(?P<neg>\[no-\])?(?P<long>[a-z0-9][a-z0-9-]*))?"
    r"(?P<arg>.*?)(?:\s{2,}.*)?$"
)


@dataclass(frozen=True)
class HelpOption:
    short: str | None
    long: str | None
    takes_value: bool
    optional: bool


def help_options(git: str, command: str, cwd: Path) -> list[HelpOption]:
    run = subprocess.run(
        [git, *command.split(), "--help-all"], capture_output=True, text=True, cwd=cwd
    )
    options: list[HelpOption] = []
    for line in (run.stdout + run.stderr).splitlines():
        if not line.startswith("    -") or line.startswith("    -NUM"):
            continue  # -NUM: a number as an option (`git grep -3`), the model's `digits`
        match = _LINE.match(line)
        if match is None or not (match["short"] or match["long"]):
            continue
        arg = (match["arg"] or "").strip()
        optional = arg.startswith("[=") or (not match["long"] and arg.startswith("["))
        options.append(HelpOption(match["short"], match["long"], bool(arg), optional))
    return options
