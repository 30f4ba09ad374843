"""Resources, tags and recorded events in one SQLite file, safe under concurrent requests.

Why SQLite: a crash (even ``kill -9``) never leaves half a resource behind, names stay unique under
races (a UNIQUE index picks exactly one winner), and pagination is stable (key-set on an insertion
sequence).  WAL mode lets request threads read while a worker writes.  Each thread gets its own
connection; every write runs in ``BEGIN IMMEDIATE`` so read-modify-write cycles are atomic.

A resource row keeps the API-visible Describe* object in ``body`` and emulator-only facts (data
files, model directory) in ``internal``, both JSON.  Nothing is ever pickled.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .errors import already_exists, not_found

__all__ = ["Event", "Row", "Store"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    arn       TEXT NOT NULL UNIQUE,
    kind      TEXT NOT NULL,
    account   TEXT NOT NULL,
    region    TEXT NOT NULL,
    name      TEXT NOT NULL,
    parent    TEXT,
    status    TEXT,
    body      TEXT NOT NULL,
    internal  TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX IF NOT EXISTS resources_name ON resources(kind, account, region, name);
CREATE INDEX IF NOT EXISTS resources_parent ON resources(kind, parent, seq);
CREATE TABLE IF NOT EXISTS tags (
    arn   TEXT NOT NULL,
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (arn, key)
);
CREATE TABLE IF NOT EXISTS events (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset_group TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    item_id       TEXT NOT NULL,
    timestamp     REAL NOT NULL,
    event_type    TEXT NOT NULL,
    event_value   REAL
);
CREATE INDEX IF NOT EXISTS events_user ON events(dataset_group, user_id, seq);
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


@dataclass(slots=True)
class Row:
    """One stored resource."""

    seq: int
    arn: str
    kind: str
    name: str
    parent: str | None
    status: str | None
    body: dict[str, Any]
    internal: dict[str, Any]


@dataclass(slots=True, frozen=True)
class Event:
    """One PutEvents interaction, recorded for training and for fresh recommendations."""

    user_id: str
    item_id: str
    timestamp: float
    event_type: str
    event_value: float | None
    seq: int = 0


def _row(record: Sequence[Any]) -> Row:
    seq, arn, kind, name, parent, status, body, internal = record
    return Row(seq, arn, kind, name, parent, status, json.loads(body), json.loads(internal))


_COLUMNS = "seq, arn, kind, name, parent, status, body, internal"
_T = TypeVar("_T")


class Store:
    """The emulator's persistent state under ``<data_dir>/state.sqlite3``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._conn().executescript(_SCHEMA)

    # -- connections ----------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): committed on exit, rolled back on error."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def memo(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()``, remembered on this thread for as long as the database does not change.

        Why: hot read paths (GetRecommendations resolving its campaign and solution version) would
        otherwise re-read and re-parse the same rows on every request.  A change is any commit by
        another connection or process (``PRAGMA data_version``) or any row written through this
        thread's connection (``total_changes``), so a remembered value is never stale; the check
        costs one PRAGMA.  Exceptions are not remembered.  Callers must treat the value as read-only.
        """
        conn = self._conn()
        token = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        memo: tuple[tuple[int, int], dict[Hashable, Any]] | None = getattr(self._local, "memo", None)
        if memo is None or memo[0] != token:
            memo = (token, {})
            self._local.memo = memo
        values = memo[1]
        if key in values:
            value: _T = values[key]
            return value
        value = compute()
        values[key] = value
        return value

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- resources ------------------------------------------------------------------------------
    def insert(
        self,
        *,
        arn: str,
        kind: str,
        account: str,
        region: str,
        name: str,
        parent: str | None,
        body: Mapping[str, Any],
        internal: Mapping[str, Any] | None = None,
        tags: Sequence[Mapping[str, str]] = (),
        conn: sqlite3.Connection | None = None,
    ) -> None:
        """Add a resource; a taken name (per kind, account and region) is ResourceAlreadyExists."""
        if conn is None:
            with self.write() as tx:
                self.insert(arn=arn, kind=kind, account=account, region=region, name=name, parent=parent,
                            body=body, internal=internal, tags=tags, conn=tx)
            return
        try:
            conn.execute(
                "INSERT INTO resources (arn, kind, account, region, name, parent, status, body, internal) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (arn, kind, account, region, name, parent, body.get("status"), json.dumps(body),
                 json.dumps(internal or {})),
            )
        except sqlite3.IntegrityError:
            raise already_exists(arn) from None
        for tag in tags:
            conn.execute("INSERT OR REPLACE INTO tags VALUES (?, ?, ?)", (arn, tag["tagKey"], tag["tagValue"]))

    def get(self, arn: str, kind: str | None = None) -> Row | None:
        record = self._conn().execute(f"SELECT {_COLUMNS} FROM resources WHERE arn = ?", (arn,)).fetchone()
        if record is None:
            return None
        row = _row(record)
        return row if kind is None or row.kind == kind else None

    def require(self, arn: str, kind: str, label: str) -> Row:
        """The resource, or ResourceNotFoundException worded as AWS words it (``label`` is for readers)."""
        row = self.get(arn, kind)
        if row is None:
            raise not_found(arn)
        return row

    def save(self, row: Row, conn: sqlite3.Connection | None = None) -> None:
        """Write back a row's body/internal/status (inside ``conn``'s transaction when given)."""
        sql = "UPDATE resources SET status = ?, body = ?, internal = ? WHERE arn = ?"
        args = (row.body.get("status"), json.dumps(row.body), json.dumps(row.internal), row.arn)
        if conn is None:
            with self.write() as tx:
                tx.execute(sql, args)
        else:
            conn.execute(sql, args)

    def lock_row(self, conn: sqlite3.Connection, arn: str) -> Row | None:
        """Re-read a row inside a write transaction (the transaction already holds the write lock)."""
        record = conn.execute(f"SELECT {_COLUMNS} FROM resources WHERE arn = ?", (arn,)).fetchone()
        return _row(record) if record is not None else None

    def find(self, kind: str, member: str, value: str) -> Row | None:
        """The first resource of ``kind`` whose body has ``member == value`` (e.g. a trackingId)."""
        record = self._conn().execute(
            f"SELECT {_COLUMNS} FROM resources WHERE kind = ? AND json_extract(body, ?) = ? LIMIT 1",
            (kind, f"$.{member}", value),
        ).fetchone()
        return _row(record) if record is not None else None

    def remove(self, arn: str, conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM resources WHERE arn = ?", (arn,))
        conn.execute("DELETE FROM tags WHERE arn = ?", (arn,))

    def page(
        self,
        kind: str,
        *,
        account: str,
        region: str,
        parent: str | None = None,
        after: int = 0,
        limit: int = 100,
    ) -> list[Row]:
        """Up to ``limit`` resources of ``kind`` with ``seq > after``, oldest first."""
        sql = f"SELECT {_COLUMNS} FROM resources WHERE kind = ? AND account = ? AND region = ? AND seq > ?"
        args: list[Any] = [kind, account, region, after]
        if parent is not None:
            sql += " AND parent = ?"
            args.append(parent)
        sql += " ORDER BY seq LIMIT ?"
        args.append(limit)
        return [_row(r) for r in self._conn().execute(sql, args).fetchall()]

    def children(self, kind: str, parent: str) -> list[Row]:
        """Every resource of ``kind`` under ``parent`` (any account/region: ARNs are unique)."""
        records = self._conn().execute(
            f"SELECT {_COLUMNS} FROM resources WHERE kind = ? AND parent = ? ORDER BY seq", (kind, parent)
        ).fetchall()
        return [_row(r) for r in records]

    def count(self, kind: str, *, account: str, region: str, statuses: Sequence[str] = (),
              parent: str | None = None) -> int:
        sql = "SELECT COUNT(*) FROM resources WHERE kind = ? AND account = ? AND region = ?"
        args: list[Any] = [kind, account, region]
        if statuses:
            sql += f" AND status IN ({', '.join('?' for _ in statuses)})"
            args.extend(statuses)
        if parent is not None:
            sql += " AND parent = ?"
            args.append(parent)
        return int(self._conn().execute(sql, args).fetchone()[0])

    def in_status(self, statuses: Sequence[str]) -> list[Row]:
        """Every resource whose status is one of ``statuses`` (used to recover after a crash)."""
        marks = ", ".join("?" for _ in statuses)
        records = self._conn().execute(
            f"SELECT {_COLUMNS} FROM resources WHERE status IN ({marks}) ORDER BY seq", list(statuses)
        ).fetchall()
        return [_row(r) for r in records]

    def of_kind(self, kind: str, *, limit: int = 500) -> list[Row]:
        """The oldest ``limit`` resources of ``kind`` in every account and region (for the console)."""
        records = self._conn().execute(
            f"SELECT {_COLUMNS} FROM resources WHERE kind = ? ORDER BY seq LIMIT ?", (kind, limit)
        ).fetchall()
        return [_row(r) for r in records]

    def all_rows(self) -> list[Row]:
        records = self._conn().execute(f"SELECT {_COLUMNS} FROM resources ORDER BY seq").fetchall()
        return [_row(r) for r in records]

    # -- tags -----------------------------------------------------------------------------------
    def tags(self, arn: str) -> list[dict[str, str]]:
        records = self._conn().execute("SELECT key, value FROM tags WHERE arn = ? ORDER BY key", (arn,))
        return [{"tagKey": k, "tagValue": v} for k, v in records.fetchall()]

    def set_tags(self, conn: sqlite3.Connection, arn: str, tags: Sequence[Mapping[str, str]]) -> None:
        for tag in tags:
            conn.execute("INSERT OR REPLACE INTO tags VALUES (?, ?, ?)", (arn, tag["tagKey"], tag["tagValue"]))

    def remove_tags(self, conn: sqlite3.Connection, arn: str, keys: Sequence[str]) -> None:
        conn.executemany("DELETE FROM tags WHERE arn = ? AND key = ?", [(arn, k) for k in keys])

    # -- emulator facts (the emulated clock, schedules) ------------------------------------------
    def get_meta(self, key: str, conn: sqlite3.Connection | None = None) -> Any:
        """The JSON value stored under ``key`` (None when absent)."""
        record = (conn or self._conn()).execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(record[0]) if record is not None else None

    def set_meta(self, key: str, value: Any, conn: sqlite3.Connection | None = None) -> None:
        """Store ``value`` (JSON) under ``key``, inside ``conn``'s transaction when given."""
        if conn is None:
            with self.write() as tx:
                self.set_meta(key, value, tx)
            return
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value)))

    def meta_keys(self, prefix: str) -> list[str]:
        """Every ``meta`` key that starts with ``prefix``."""
        records = self._conn().execute("SELECT key FROM meta WHERE substr(key, 1, ?) = ?", (len(prefix), prefix))
        return [r[0] for r in records.fetchall()]

    def remove_meta(self, keys: Sequence[str]) -> None:
        with self.write() as conn:
            conn.executemany("DELETE FROM meta WHERE key = ?", [(k,) for k in keys])

    # -- events ---------------------------------------------------------------------------------
    def add_events(self, dataset_group: str, events: Sequence[Event]) -> None:
        with self.write() as conn:
            conn.executemany(
                "INSERT INTO events (dataset_group, user_id, item_id, timestamp, event_type, event_value) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(dataset_group, e.user_id, e.item_id, e.timestamp, e.event_type, e.event_value) for e in events],
            )

    def events(self, dataset_group: str, *, user_id: str | None = None, after_seq: int = 0,
               limit: int | None = None) -> list[Event]:
        """Recorded events after ``after_seq``, oldest first (the newest ``limit`` when given)."""
        sql = ("SELECT user_id, item_id, timestamp, event_type, event_value, seq FROM events "
               "WHERE dataset_group = ? AND seq > ?")
        args: list[Any] = [dataset_group, after_seq]
        if user_id is not None:
            sql += " AND user_id = ?"
            args.append(user_id)
        if limit is None:
            return [Event(*r) for r in self._conn().execute(sql + " ORDER BY seq", args).fetchall()]
        records = self._conn().execute(sql + " ORDER BY seq DESC LIMIT ?", [*args, limit]).fetchall()
        return [Event(*r) for r in reversed(records)]

    def remove_events(self, dataset_group: str) -> None:
        """Forget a deleted dataset group's events (a new group of the same name has the same ARN)."""
        with self.write() as conn:
            conn.execute("DELETE FROM events WHERE dataset_group = ?", (dataset_group,))

    def event_count(self, dataset_group: str) -> int:
        """How many PutEvents events a dataset group has recorded."""
        record = self._conn().execute("SELECT COUNT(*) FROM events WHERE dataset_group = ?", (dataset_group,))
        return int(record.fetchone()[0])

    def last_event_seq(self, dataset_group: str) -> int:
        """The sequence number of the newest recorded event (0 when none)."""
        record = self._conn().execute(
            "SELECT COALESCE(MAX(seq), 0) FROM events WHERE dataset_group = ?", (dataset_group,)
        ).fetchone()
        return int(record[0])
