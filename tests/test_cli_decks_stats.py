"""`quizapp decks` and `quizapp stats` as a user runs them: a real process, a temporary home.

The bundled decks load too, so the assertions look at the fixture deck's own rows.
"today" in the command is the real study day; the tests pick a rollover hour twelve hours
away from now so that the day cannot change while they run.
"""

from __future__ import annotations

import os
import stat
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quizapp.scheduling.day import study_day
from quizapp.storage.engine import open_store
from quizapp.storage.repository import record_answer
from tests.inprocess import run_quizapp

FIXTURES = Path(__file__).parent / "data" / "storage" / "decks"
ROLLOVER = (datetime.now().astimezone().hour + 12) % 24


def run(
    tmp_path: Path, *args: str, db: Path | str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("QUIZAPP_DB", "QUIZAPP_DECKS", "QUIZAPP_DEBUG")
    }
    environ |= {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        **(env or {}),
    }
    command = ["--rollover-hour", str(ROLLOVER)]
    if db is not None:
        command += ["--db", str(db)]
    command += ["--decks", str(FIXTURES), *args]
    return run_quizapp(command, env=environ)


def fixture_row(output: str) -> list[str]:
    [line] = [line for line in output.splitlines() if line.startswith("test-net ")]
    return line.split()


def test_decks_lists_the_fixture_deck_on_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    result = run(tmp_path, "decks", db=db)
    assert result.returncode == 0
    # Said once, so that a mistyped --db is noticed: where the new database is.
    assert result.stderr == (
        f"quizapp: note: created a new, empty progress database at {db} "
        "(nothing was there: check --db / QUIZAPP_DB if you meant another one)\n"
    )
    assert run(tmp_path, "decks", db=db).stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Deck", "Title", "Cards", "New", "Repeats", "Due", "Today"]
    assert fixture_row(result.stdout) == [
        "test-net",
        "Net",
        "[bold]test[/bold]",
        "4",
        "4",
        "0",
        "0",
        "4",
    ]
    assert any(line.startswith("Total ") for line in lines)
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_decks_and_stats_after_some_study(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    assert run(tmp_path, "decks", db=db).returncode == 0
    now = datetime.now(UTC)
    today = study_day(now, ROLLOVER)
    yesterday = today - timedelta(days=1)
    with open_store(str(db)) as store:
        for item_id, grade, day in (
            ("bridge", 5, yesterday),  # due today
            ("overlay#c1", 2, today),  # due tomorrow; to repeat today
            ("overlay#c2", 4, today),  # due tomorrow
        ):
            record_answer(
                store,
                deck_id="test-net",
                item_id=item_id,
                grade=grade,
                typed_answer=None,
                correct=None,
                duration_ms=1000,
                now=now,
                today=day,
            )
    decks = run(tmp_path, "decks", db=db)
    assert (decks.returncode, decks.stderr) == (0, "")
    assert fixture_row(decks.stdout)[-5:] == ["4", "1", "1", "1", "3"]

    result = run(tmp_path, "stats", "test-net", db=db)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (
        f"test-net: Net [bold]test[/bold] - study day {today.isoformat()}\n"
        "  Due today:           1\n"
        "  Due by tomorrow:     3\n"
        "  Due within 7 days:   3\n"
        "  Due within 30 days:  3\n"
        "  Reviews today:       2\n"
        "  Retention, 30 days:  66.7% of 3 reviews\n"
        "  Streak:              2 days\n"
    )
    everything = run(tmp_path, "stats", db=db)
    assert everything.returncode == 0
    assert everything.stdout.splitlines()[0] == f"All decks - study day {today.isoformat()}"
    assert everything.stdout.splitlines()[1:] == result.stdout.splitlines()[1:]


def total_row(output: str) -> list[str]:
    [line] = [line for line in output.splitlines() if line.startswith("Total ")]
    return line.split()


def test_the_total_row_keeps_within_the_daily_review_limit(tmp_path: Path) -> None:
    # Each deck's row is capped by the limit on its own; the total is what studying all the
    # decks at once gives, so it must not add up to more than the limit (the bundled decks
    # load too: eight decks of 3 new cards each would otherwise sum to 24).
    db = tmp_path / "progress.db"
    fresh = run(tmp_path, "--review-limit", "3", "decks", db=db)
    assert fresh.returncode == 0
    assert fresh.stderr.startswith("quizapp: note: created a new, empty progress database")
    assert fixture_row(fresh.stdout)[-5:] == ["4", "3", "0", "0", "3"]
    assert total_row(fresh.stdout)[-4:] == ["3", "0", "0", "3"]

    now = datetime.now(UTC)
    today = study_day(now, ROLLOVER)
    with open_store(str(db)) as store:
        for item_id, grade in (("bridge", 5), ("overlay#c1", 2)):
            record_answer(
                store,
                deck_id="test-net",
                item_id=item_id,
                grade=grade,
                typed_answer=None,
                correct=None,
                duration_ms=1000,
                now=now,
                today=today,
            )
    studied = run(tmp_path, "--review-limit", "3", "decks", db=db)
    assert (studied.returncode, studied.stderr) == (0, "")
    # Two of the three answers of the day are used: one new card is left in all, plus the
    # repeat of overlay#c1 (repeats never count against the limit).
    assert fixture_row(studied.stdout)[-5:] == ["4", "1", "1", "0", "2"]
    assert total_row(studied.stdout)[-4:] == ["1", "1", "0", "2"]


def test_stats_of_an_unknown_deck_exits_2(tmp_path: Path) -> None:
    result = run(tmp_path, "stats", "no-such-deck", db=tmp_path / "q.db")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("quizapp: error: no deck 'no-such-deck' (decks: ")
    assert "test-net" in result.stderr


def test_the_default_database_lives_in_the_user_data_dir(tmp_path: Path) -> None:
    result = run(tmp_path, "decks")
    assert result.returncode == 0, result.stderr
    default = tmp_path / "data" / "quizapp" / "quizapp.db"
    assert stat.S_IMODE(default.stat().st_mode) == 0o600


def test_quizapp_db_and_a_url_choose_the_database(tmp_path: Path) -> None:
    from_env = tmp_path / "env.db"
    assert run(tmp_path, "decks", env={"QUIZAPP_DB": str(from_env)}).returncode == 0
    assert from_env.exists()
    from_url = tmp_path / "url.db"
    assert run(tmp_path, "decks", db=f"sqlite:///{from_url}").returncode == 0
    assert from_url.exists()
    assert not (tmp_path / "data" / "quizapp" / "quizapp.db").exists()


@pytest.mark.parametrize("command", ["decks", "stats"])
def test_a_file_that_is_not_a_database_is_refused_without_a_traceback(
    tmp_path: Path, command: str
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# my notes\n", encoding="utf-8")
    result = run(tmp_path, command, db=notes)
    assert result.returncode == 1
    assert result.stderr == (
        f"quizapp: error: {notes} is not a quizapp database (not an SQLite file)\n"
    )
    assert notes.read_text(encoding="utf-8") == "# my notes\n"


def test_an_unknown_url_scheme_is_refused(tmp_path: Path) -> None:
    result = run(tmp_path, "decks", env={"QUIZAPP_DB": "mongodb://localhost/quiz"})
    assert result.returncode == 1
    assert result.stderr.startswith("quizapp: error: unknown database URL scheme 'mongodb'")


def test_decks_exits_1_when_deck_files_were_left_out(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "bad.yaml").write_text("deck: bad\ntitle: Bad\ncards: [1]\n", encoding="utf-8")
    db = tmp_path / "q.db"
    result = run(tmp_path, "decks", "--decks", str(broken), db=db)
    assert result.returncode == 1
    assert "1 deck file(s) with errors were left out: " in result.stdout
    assert fixture_row(result.stdout)[0] == "test-net"  # the good decks are still listed


def test_decks_says_why_its_count_is_not_validates(tmp_path: Path) -> None:
    result = run(tmp_path, "decks", db=tmp_path / "q.db")
    line = next(x for x in result.stdout.splitlines() if x.startswith("Cards counts"))
    assert "each deletion of a cloze card is one" in line
    assert "`quizapp validate` counts" in line


def test_stats_takes_a_deck_title_as_study_does(tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    by_id = run(tmp_path, "stats", "test-net", db=db)
    by_title = run(tmp_path, "stats", "net [BOLD]test[/bold]", db=db)
    assert by_title.returncode == 0
    assert by_title.stdout.splitlines()[0].startswith("test-net: Net [bold]test[/bold] - ")
    assert by_title.stdout == by_id.stdout
