"""Where a database's backups are and what they are called: the `backups` folder beside it,
`NAME-<UTC stamp>[-suffix].db`. Listing them needs nothing else of storage, so the advice in
an error message can name the newest backup (`dberrors`).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BACKUP_FOLDER = "backups"
STAMP_FORMAT = "%Y-%m-%dT%H-%M-%SZ"
STAMP_PATTERN = r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ"


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime
    """UTC-aware, from the file name."""


def backup_dir(db_file: Path) -> Path:
    """The folder that holds the backups of `db_file`: `backups` next to it."""
    return db_file.parent / BACKUP_FOLDER


def named_pattern(db_file: Path, suffix: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(db_file.stem)}-({STAMP_PATTERN}){suffix}\.db$")


def matching_backups(db_file: Path, pattern: re.Pattern[str]) -> list[Backup]:
    """The backups whose names match `pattern` (its first group the stamp), oldest first:
    by stamp, then by the counter of a name taken twice in one second (`...Z-2.db`), then
    by when the file was written."""
    found: list[tuple[str, int, int, Backup]] = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for entry in backup_dir(db_file).iterdir():
            match = pattern.match(entry.name)
            if match is None or not entry.is_file():
                continue
            stamp = datetime.strptime(match[1], STAMP_FORMAT).replace(tzinfo=UTC)
            counter = re.fullmatch(r"-(\d+)\.db", entry.name[match.end(1) :])
            written = entry.stat().st_mtime_ns
            found.append(
                (match[1], int(counter[1]) if counter else 1, written, Backup(entry, stamp))
            )
    found.sort(key=lambda item: item[:3])
    return [item[3] for item in found]


def list_backups(db_file: Path) -> list[Backup]:
    """The rotating (daily and `quizapp backup`) backups of `db_file`, oldest first."""
    return matching_backups(db_file, named_pattern(db_file, r"(?:-(\d+))?"))


def all_backups(db_file: Path, now: datetime | None = None) -> list[Backup]:
    """Every backup of `db_file`, the ones made before migrations and restores too, oldest
    first; one dated after `now` (the clock was wrong when it was made) counts as oldest."""
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    found = matching_backups(db_file, named_pattern(db_file, r"(?:-.+)?"))
    return [b for b in found if b.taken_at.date() > today] + [
        b for b in found if b.taken_at.date() <= today
    ]
