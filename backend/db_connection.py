"""One connection of either engine (:class:`Connection`): statements written once with ``?``
placeholders, rows read by name or by position, write transactions."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any


class Row(tuple):
    """A PostgreSQL row read by column name or by position, as :class:`sqlite3.Row` is."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        return super().__getitem__(self.names[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self.names)


def rows(cursor: Any) -> Any:
    """psycopg's row factory making :class:`Row` objects."""
    names = {column.name: index for index, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        row = Row(values)
        row.names = names
        return row

    return make


class Connection:
    """One connection of either engine (``engine`` is ``"sqlite"`` or ``"postgresql"``)."""

    def __init__(self, raw: Any, engine: str) -> None:
        self.raw, self.engine = raw, engine

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement with ``?`` placeholders; the cursor (fetchone, fetchall, iteration)."""
        if self.engine == "postgresql":
            return self.raw.execute(sql.replace("?", "%s"), params)
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement once per parameter row."""
        if self.engine == "postgresql":
            self.raw.cursor().executemany(sql.replace("?", "%s"), rows)
        else:
            self.raw.executemany(sql, rows)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction: SQLite takes its write lock first (``BEGIN IMMEDIATE``)."""
        if self.engine == "postgresql":
            with self.raw.transaction():
                yield self
            return
        self.raw.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.raw.execute("ROLLBACK")
            raise
        self.raw.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()


def write_transaction(connection: Connection) -> Any:
    """Run a block in one write transaction of ``connection``: commit, or roll back on error."""
    return connection.transaction()
