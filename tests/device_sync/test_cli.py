"""`quizapp sync` from the command line: where the URL comes from, one line per fault, and a
password that is never printed."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.pgserver import PgServer
from tests.safety.conftest import assert_clean_failure, quizapp, sql_rows


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    found = {k: v for k, v in os.environ.items() if not k.startswith(("QUIZAPP_", "PG"))}
    found.update(
        {
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "HOME": str(tmp_path),
        }
    )
    return found


def _config(tmp_path: Path, text: str) -> None:
    folder = tmp_path / "config" / "quizapp"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


def _events(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM quizapp_events").fetchone()[0])
    finally:
        conn.close()


def test_the_url_comes_from_argv_then_the_variable_then_config(
    tmp_path: Path, env: dict[str, str]
) -> None:
    a, b, c = (tmp_path / f"{n}.db" for n in "abc")
    for remote in (a, b, c):
        result = quizapp(env, "sync", "--init", str(remote))
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"sqlite:///{remote}: created the sync tables at version 2\n"
    again = quizapp(env, "sync", "--init", str(a))
    assert again.stdout == f"sqlite:///{a}: the sync tables are current (version 2)\n"
    _config(tmp_path, f'[sync]\nurl = "{c}"\n')
    assert f"synced with sqlite:///{c}:" in quizapp(env, "sync").stdout
    with_variable = {**env, "QUIZAPP_SYNC_URL": str(b)}
    assert f"synced with sqlite:///{b}:" in quizapp(with_variable, "sync").stdout
    assert f"synced with sqlite:///{a}:" in quizapp(with_variable, "sync", str(a)).stdout


def test_no_url_and_a_bad_sync_table_are_one_line(tmp_path: Path, env: dict[str, str]) -> None:
    assert_clean_failure(quizapp(env, "sync"), "no sync URL", "QUIZAPP_SYNC_URL", "[sync]")
    _config(tmp_path, '[sync]\nurl = "x.db"\nevery = 5\n')
    assert_clean_failure(quizapp(env, "sync"), "config.toml:3:1", "invalid setting 'every'")
    _config(tmp_path, '[sync]\nauto = "yes"\n')
    assert_clean_failure(quizapp(env, "sync"), "invalid setting 'auto'")
    _config(tmp_path, "")
    assert_clean_failure(quizapp(env, "sync", "mysql://u@h/db"), "cannot sync with 'mysql'")
    port = quizapp(env, "sync", "postgresql://u:s3cret@h:notaport/db")  # once a ValueError
    assert_clean_failure(port, "the sync URL is not a valid database URL")
    assert "s3cret" not in port.stdout + port.stderr
    assert_clean_failure(quizapp(env, "sync", str(tmp_path / "none.db")), "no sync file")
    assert_clean_failure(
        quizapp(env, "sync", str(tmp_path / "nofolder" / "x.db")), "folder does not exist"
    )


def test_the_counts_are_said_in_the_singular_for_one(tmp_path: Path, env: dict[str, str]) -> None:
    """ "sent 1 events", "(1 answers applied)" once."""
    from datetime import UTC, datetime

    from quizapp.storage.engine import open_store
    from quizapp.storage.repository import record_answer

    remote = tmp_path / "remote.db"
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert quizapp(env, "sync", "--init", str(remote)).returncode == 0
    assert quizapp(env, "--db", str(a), "stats").returncode == 0  # the bundled decks, no answer
    (deck_id, item_id), *_ = sql_rows(a, "SELECT deck_id, item_id FROM cards ORDER BY 1, 2")
    at = datetime.now(UTC)
    with open_store(str(a)) as store:
        record_answer(
            store,
            deck_id=deck_id,
            item_id=item_id,
            grade=4,
            typed_answer=None,
            correct=None,
            duration_ms=1,
            now=at,
            today=at.date(),
        )
    sent = quizapp(env, "--db", str(a), "sync", str(remote))
    assert sent.stdout.endswith(": sent 1 event, received 0 (0 answers applied)\n"), sent.stderr
    got = quizapp(env, "--db", str(b), "sync", str(remote))
    assert got.stdout.endswith(": sent 0 events, received 1 (1 answer applied)\n"), got.stderr


def test_init_refuses_a_progress_database(tmp_path: Path, env: dict[str, str]) -> None:
    """`sync --init` on a progress database (another --db, another profile) once added the
    sync tables to it, and quizapp then refused to open it ("changed outside quizapp")."""
    progress = tmp_path / "progress.db"
    assert quizapp(env, "--db", str(progress), "stats").returncode == 0
    assert_clean_failure(
        quizapp(env, "sync", "--init", str(progress)),
        "already holds other tables (a quizapp progress database?)",
    )
    again = quizapp(env, "--db", str(progress), "stats")
    assert again.returncode == 0, again.stderr
    conn = sqlite3.connect(progress)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    assert "quizapp_events" not in tables and "review_log" in tables


def test_a_wrong_password_from_the_url_is_never_printed(
    tmp_path: Path, env: dict[str, str], pg_server: PgServer, pg_db: str
) -> None:
    pg_server.role("gina", "good-one", pg_db)
    good = pg_server.url(pg_db, "gina", "good-one")
    assert quizapp(env, "sync", "--init", good).returncode == 0
    assert quizapp(env, "sync", good).returncode == 0  # (the local database is made here)
    bad = pg_server.url(pg_db, "gina", "Wr0ngPassw0rd")
    result = quizapp(env, "sync", bad)
    line = assert_clean_failure(result, "password authentication failed", "gina:***@")
    assert "Wr0ngPassw0rd" not in result.stdout + result.stderr
    assert "good-one" not in line


def test_the_password_may_come_from_pgpassword(
    tmp_path: Path, env: dict[str, str], pg_server: PgServer, pg_db: str
) -> None:
    pg_server.role("hugo", "from-env", pg_db)
    url = pg_server.url(pg_db, "hugo")
    with_password = {**env, "PGPASSWORD": "from-env"}
    result = quizapp(with_password, "sync", "--init", url)
    assert result.returncode == 0, result.stderr
    assert "created schema hugo" in result.stdout
    result = quizapp(with_password, "sync", url)
    assert result.returncode == 0 and "from-env" not in result.stdout + result.stderr
    assert "synced with postgresql+psycopg://hugo@/" in result.stdout
    assert_clean_failure(quizapp(env, "sync", url), "no password supplied")


def test_sync_init_migrates_a_version_1_remote(tmp_path: Path, env: dict[str, str]) -> None:
    from tests.device_sync.older_remote import make_version_1

    remote = tmp_path / "old.db"
    make_version_1(str(remote))
    refused = quizapp(env, "sync", str(remote))
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "holds sync tables of version 1, older than this quizapp's (2)" in refused.stderr
    result = quizapp(env, "sync", "--init", str(remote))
    assert result.stdout == f"sqlite:///{remote}: migrated the sync tables from version 1 to 2\n"
    conn = sqlite3.connect(remote)
    try:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(quizapp_events)")]
        version = conn.execute("SELECT value FROM quizapp_meta WHERE key = 'version'").fetchone()
    finally:
        conn.close()
    assert columns[-1] == "payload" and version == ("2",)
    assert quizapp(env, "sync", str(remote)).returncode == 0


def test_a_sqlite_remote_url_takes_a_home_folder_and_refuses_options(
    tmp_path: Path, env: dict[str, str]
) -> None:
    made = quizapp(env, "sync", "--init", "sqlite:///~/remote.db")  # HOME is tmp_path
    assert made.returncode == 0, made.stderr
    assert made.stdout == f"sqlite:///{tmp_path}/remote.db: created the sync tables at version 2\n"
    assert (tmp_path / "remote.db").is_file()
    options = quizapp(env, "sync", f"sqlite:///{tmp_path}/remote.db?mode=ro")
    assert_clean_failure(options, "a SQLite sync remote takes no options")
    assert "Warning" not in options.stderr
