"""Chunked bulk inserts with ids made in Python, for seeding large data sets quickly.

Ids are handed out here rather than by the database, so child rows can name their parents
without reading anything back. Rows wait in one buffer per table and go in, parents first,
in chunks of one transaction each; afterwards PostgreSQL's id sequences are moved past the
ids used, so the app can keep adding rows.

A chunk goes in through the database driver, inside the SQLAlchemy transaction: COPY on
PostgreSQL, one prepared INSERT run over all rows on SQLite (with values converted exactly as
SQLAlchemy would store them). At a million attempts, SQLAlchemy's own per-row parameter
handling would otherwise take more time than generating the data; other databases use a plain
Core ``insert()``.
"""

from collections import Counter
from contextlib import contextmanager
from datetime import UTC
from operator import itemgetter

from sqlalchemy import Date, DateTime, Numeric, Table, TypeDecorator, func, select, text

SQLITE_CACHE_KIB = 512 * 1024


class Writer:
    """Buffers rows per table and inserts them in chunks, parent tables before children."""

    def __init__(self, engine, tables: list[Table], chunk: int = 10_000):
        """``tables`` in dependency order: a table's parents come before it."""
        self.engine = engine
        self.tables = list(tables)
        self.chunk = chunk
        self.buffers: dict[str, list[dict]] = {table.name: [] for table in self.tables}
        self.counts: Counter = Counter()
        self._next_id: dict[str, int] = {}
        with engine.connect() as connection:
            for table in self.tables:
                if "id" in table.c:
                    last = connection.scalar(select(func.max(table.c.id)))
                    self._next_id[table.name] = (last or 0) + 1

    def new_id(self, table: Table) -> int:
        """The next unused id of ``table``."""
        value = self._next_id[table.name]
        self._next_id[table.name] = value + 1
        return value

    def add(self, table: Table, row: dict) -> None:
        """Queue a row (every row of a table has the same keys); a full buffer sends it and
        every parent table's buffer."""
        buffer = self.buffers[table.name]
        buffer.append(row)
        if len(buffer) >= self.chunk:
            self.flush(upto=table)

    def flush(self, upto: Table | None = None) -> None:
        """Insert the buffered rows of every table up to ``upto`` (all by default), in order,
        in one transaction, so no row arrives before the rows it refers to."""
        order = self.tables if upto is None else self.tables[: self.tables.index(upto) + 1]
        pending = [table for table in order if self.buffers[table.name]]
        if not pending:
            return
        insert = {"postgresql": _copy, "sqlite": _sqlite}.get(self.engine.dialect.name, _core)
        with self.engine.begin() as connection:
            if self.engine.dialect.name == "sqlite":
                # Indexes on names and emails take rows in random order; with SQLite's
                # default 2 MB page cache every insert would reread index pages from disk.
                connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            for table in pending:
                rows = self.buffers[table.name]
                insert(connection, table, rows)
                self.counts[table.name] += len(rows)
                self.buffers[table.name] = []

    def finish(self) -> None:
        """Insert what is left and move PostgreSQL's id sequences past the ids used."""
        self.flush()
        if self.engine.dialect.name != "postgresql":
            return
        with self.engine.begin() as connection:
            for table in self.tables:
                if table.name in self._next_id:
                    connection.execute(
                        text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value, false)"),
                        {"table": table.name, "value": self._next_id[table.name]},
                    )


def _core(connection, table: Table, rows: list[dict]) -> None:
    connection.execute(table.insert(), rows)


def _copy(connection, table: Table, rows: list[dict]) -> None:
    """PostgreSQL's COPY: the values are already what the columns hold (UTC datetimes,
    Decimals, dates), so psycopg adapts them as it would bound parameters."""
    columns = list(rows[0])
    values = itemgetter(*columns)
    names = ", ".join(connection.dialect.identifier_preparer.quote(c) for c in columns)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(values(row))


def _sqlite_value(column):
    """How SQLAlchemy stores a value of ``column`` in SQLite, for the types that need it
    (None: the driver takes the value as it is)."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, DateTime):
        # SQLAlchemy's SQLite DATETIME format, always with microseconds, kept in UTC.
        return lambda value: (
            value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
        )
    if isinstance(kind, Date):
        return _date_text
    if isinstance(kind, Numeric):
        return float
    return None


def _date_text(value) -> str:
    return value.isoformat()


def _sqlite(connection, table: Table, rows: list[dict]) -> None:
    columns = list(rows[0])
    converted = [
        (index, convert)
        for index, convert in enumerate(_sqlite_value(table.c[name]) for name in columns)
        if convert
    ]
    values = itemgetter(*columns)
    data = []
    for row in rows:
        record = list(values(row))
        for index, convert in converted:
            if record[index] is not None:
                record[index] = convert(record[index])
        data.append(record)
    names = ", ".join(connection.dialect.identifier_preparer.quote(c) for c in columns)
    marks = ", ".join("?" * len(columns))
    cursor = connection.connection.driver_connection.cursor()
    cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", data)


@contextmanager
def contact_triggers_paused(engine):
    """On SQLite, put the contacts' triggers aside while contacts are loaded, then restore
    them and rebuild every account's search document once.

    The search index (accounts/search_index.py) rebuilds an account's document from all its
    contacts each time one is added: four rebuilds for four contacts, the slowest part of the
    load. Renaming each account to its own name fires the accounts' own trigger, which
    rebuilds the document once, with every contact. PostgreSQL indexes need no such help.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    with engine.begin() as connection:
        saved = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'contacts'"
        ).all()
        for name, _ in saved:
            connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    try:
        yield
    finally:
        with engine.begin() as connection:
            for _, sql in saved:
                connection.exec_driver_sql(sql)
            connection.exec_driver_sql("UPDATE accounts SET name = name")


def analyze(engine) -> None:
    """Refresh the query planner's statistics after the tables grew by orders of magnitude.

    PostgreSQL also gets a VACUUM, as autovacuum would give it in time: it marks the freshly
    written pages all-visible, without which no count can be answered from an index alone.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
        return
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
