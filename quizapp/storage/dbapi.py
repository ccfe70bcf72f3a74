"""Column conversions for the SQL that runs on the sqlite3 connection itself.

The hot paths (one answer, the check before each card) skip SQLAlchemy's statement execution
but must read and write values exactly as the ORM and Core do: dates as ISO text, UTC times
as naive text with microseconds, booleans as 0/1. These are SQLAlchemy's own processors for
the models' column types, taken once per dialect.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect

from quizapp.storage.models import ReviewRow

Convert = Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class Conversions:
    """`*_in`: a Python value as a statement parameter; `*_out`: a column value as Python."""

    date_in: Convert
    date_out: Convert
    time_in: Convert
    """An aware datetime as stored UTC text (a naive one raises ValueError, as in the ORM)."""
    time_out: Convert
    bool_in: Convert


@functools.cache
def conversions(dialect: Dialect) -> Conversions:
    columns = ReviewRow.__table__.c

    def pair(column: Any) -> tuple[Convert, Convert]:
        typ = column.type.dialect_impl(dialect)
        bind = typ.bind_processor(dialect) or _same
        result = typ.result_processor(dialect, None) or _same
        return bind, result

    date_in, date_out = pair(columns.day)
    time_in, time_out = pair(columns.reviewed_at)
    bool_in, _ = pair(columns.repeat)
    return Conversions(date_in, date_out, time_in, time_out, bool_in)
