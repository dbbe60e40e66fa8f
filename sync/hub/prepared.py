"""Statements built once per dialect and run with parameters, for the hub's hot paths.

Building a SQLAlchemy statement and computing its cache key cost more CPU
than running it: profiled, about a fifth of a push's CPU at the hub went
to building the same statements again at every push. A ``Prepared`` builds
its statement at first use for each dialect (``any_of`` renders differently
on PostgreSQL and SQLite) and hands out that same object afterwards, whose
cache key SQLAlchemy keeps. Values go in as bound parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.sql.expression import Executable


class Prepared:
    def __init__(self, build: Callable[[str], Executable]) -> None:
        self._build = build
        self._built: dict[str, Executable] = {}

    def __call__(self, conn: Connection) -> Executable:
        dialect = conn.dialect.name
        statement = self._built.get(dialect)
        if statement is None:  # two threads may both build it: the same statement, either one is kept
            statement = self._built[dialect] = self._build(dialect)
        return statement


def any_of(dialect: str, column: Any, name: str) -> Any:
    """``column`` equal to one of the list bound as ``name``: ``= ANY(array)`` on PostgreSQL (one
    statement text whatever the list's length, see visibility.one_of), an expanding IN elsewhere."""
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam(name, type_=postgresql.ARRAY(column.type)))
    return column.in_(sa.bindparam(name, expanding=True))
