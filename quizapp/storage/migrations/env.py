"""Alembic environment: runs on the connection `storage.schema` hands over.

Run by hand (for `alembic revision --autogenerate` while developing) it needs
`-x url=sqlite:///some.db`; quizapp itself never reads an alembic.ini.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from quizapp.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///dev.db")
    with create_engine(url).connect() as conn:
        _run(conn)
