"""Driver-level access to the lineage graph: nodes by key, edges by frontier, bulk writes.

Traces read thousands to hundreds of thousands of edges; they go through the DB-API cursor (plain
tuples, no ORM objects), one statement per level: ``= ANY(%s)`` with an array on PostgreSQL,
chunked ``IN (...)`` lists on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from qualitas.measure.storage import insert_rows

__all__ = ["EDGE_COLUMNS", "NodeSpec", "SqlEdgeSource", "insert_rows"]
from qualitas.trace.genealogy import EdgeRow

EDGE_COLUMNS = ("src", "dst", "kind", "at_ms", "until_ms", "event_pk", "src_qty", "dst_qty", "uom")
NODE_COLUMNS = (
    "key",
    "kind",
    "label",
    "product",
    "lot",
    "serial",
    "site_id",
    "item_id",
    "supplier_id",
    "customer_id",
    "first_ms",
)
SQLITE_CHUNK = 4000
_SELECT = "SELECT " + ", ".join(EDGE_COLUMNS) + " FROM trace_edge WHERE "  # noqa: S608


def driver(session: Session) -> Any:
    """The DB-API connection under the session's current transaction."""
    return session.connection().connection.driver_connection


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


class SqlEdgeSource:
    """Edges of the lineage graph for a whole frontier, straight from ``trace_edge``."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.postgres = is_postgres(session)
        self.queries = 0

    def outgoing(self, nodes: Sequence[int]) -> Iterator[EdgeRow]:
        return self._fetch("src", nodes)

    def incoming(self, nodes: Sequence[int]) -> Iterator[EdgeRow]:
        return self._fetch("dst", nodes)

    def _fetch(self, column: str, nodes: Sequence[int]) -> Iterator[EdgeRow]:
        cur = driver(self.session).cursor()
        try:
            if self.postgres:
                self.queries += 1
                cur.execute(_SELECT + f"{column} = ANY(%s)", (list(nodes),))
                yield from cur.fetchall()
                return
            for i in range(0, len(nodes), SQLITE_CHUNK):
                chunk = nodes[i : i + SQLITE_CHUNK]
                self.queries += 1
                marks = ",".join("?" * len(chunk))
                cur.execute(_SELECT + f"{column} IN ({marks})", tuple(chunk))
                yield from cur.fetchall()
        finally:
            cur.close()


@dataclass(frozen=True)
class NodeSpec:
    """What the store knows of an identity when it first sees it."""

    key: str
    kind: str
    label: str
    product: str | None = None
    lot: str | None = None
    serial: str | None = None
    site_id: int | None = None
    item_id: int | None = None
    supplier_id: int | None = None
    customer_id: int | None = None
    first_ms: int | None = None

    def row(self) -> list[Any]:
        return [getattr(self, c) for c in NODE_COLUMNS]


def _in_clause(session: Session, values: Sequence[Any]) -> tuple[str, tuple[Any, ...]]:
    if is_postgres(session):
        return "= ANY(%s)", (list(values),)
    return f"IN ({','.join('?' * len(values))})", tuple(values)


def node_ids(session: Session, keys: Iterable[str]) -> dict[str, int]:
    """Ids of the nodes with these keys (absent keys are left out)."""
    wanted = list(dict.fromkeys(keys))
    found: dict[str, int] = {}
    cur = driver(session).cursor()
    try:
        for i in range(0, len(wanted), SQLITE_CHUNK):
            clause, params = _in_clause(session, wanted[i : i + SQLITE_CHUNK])
            cur.execute(f"SELECT key, id FROM trace_node WHERE key {clause}", params)  # noqa: S608
            found.update(cur.fetchall())
    finally:
        cur.close()
    return found


def ensure_nodes(session: Session, specs: Iterable[NodeSpec]) -> dict[str, int]:
    """Ids for every spec's key, inserting the nodes not yet known (first description wins)."""
    by_key: dict[str, NodeSpec] = {}
    for s in specs:
        by_key.setdefault(s.key, s)
    ids = node_ids(session, by_key)
    missing = [s.row() for k, s in by_key.items() if k not in ids]
    if missing:
        insert_rows(session, "trace_node", NODE_COLUMNS, missing)
        ids.update(node_ids(session, [r[0] for r in missing]))
    return ids


def insert_edges(session: Session, rows: list[list[Any]]) -> None:
    """Bulk insert of edge rows in ``EDGE_COLUMNS`` order."""
    insert_rows(session, "trace_edge", EDGE_COLUMNS, rows)


def node_rows(session: Session, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """``id -> (key, kind, label, product, lot, serial, site_id, hold)`` for these nodes."""
    out: dict[int, tuple[Any, ...]] = {}
    cur = driver(session).cursor()
    try:
        for i in range(0, len(ids), SQLITE_CHUNK):
            clause, params = _in_clause(session, ids[i : i + SQLITE_CHUNK])
            cur.execute(
                "SELECT id, key, kind, label, product, lot, serial, site_id, hold "  # noqa: S608
                f"FROM trace_node WHERE id {clause}",
                params,
            )
            for r in cur.fetchall():
                out[r[0]] = tuple(r[1:])
    finally:
        cur.close()
    return out


def allocate_ids(session: Session, table: str, count: int) -> list[int]:
    """``count`` fresh primary keys of ``table`` for rows written by ``insert_rows`` (with ids).

    PostgreSQL draws them from the table's sequence; SQLite, whose writers are serialised by the
    database lock the caller's transaction already holds, continues after the largest id.
    """
    if count == 0:
        return []
    cur = driver(session).cursor()
    try:
        if is_postgres(session):
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                (table, count),
            )
            return [r[0] for r in cur.fetchall()]
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        start = int(cur.fetchone()[0]) + 1
        return list(range(start, start + count))
    finally:
        cur.close()
