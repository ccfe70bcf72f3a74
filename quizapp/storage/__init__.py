"""The progress store (SQLite): models, migrations, sync, answers, queues, backups.

`engine.open_store` opens the store (`quickstart` first tries the common start on plain
sqlite3, without SQLAlchemy); `sync` brings it in line with the decks; `repository` holds SM-2
answers and progress reads, `studysql` the study queue and home counts as plain SQL,
`fsrs_store`/`fsrs_schedule` FSRS decks, `reports` the `decks`/`stats` output, `backup` and
`schema` backups and migrations.
"""
