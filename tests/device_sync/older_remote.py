"""A remote at sync schema version 1 (before seed events' `payload`), made the way version 1
made it, for the tests of `quizapp sync --init` migrating an older remote."""

from __future__ import annotations

from sqlalchemy import text

from quizapp.storage import device_sync


def make_version_1(url: str) -> None:
    """Create the sync tables at the current version, then take them back to version 1."""
    device_sync.init_remote(url)
    remote = device_sync.open_remote(url)
    try:
        with remote.engine.connect() as base:
            _, conn = device_sync._with_schema(remote, base)
            schema = device_sync._schema_of(conn)
            name = f'"{schema}".quizapp_events' if schema else "quizapp_events"
            conn.execute(text(f"ALTER TABLE {name} DROP COLUMN payload"))
            meta = f'"{schema}".quizapp_meta' if schema else "quizapp_meta"
            conn.execute(text(f"UPDATE {meta} SET value = '1' WHERE key = 'version'"))
            conn.commit()
    finally:
        remote.close()
