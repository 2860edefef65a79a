"""Audit trail use cases: append an entry in the caller's transaction, read history, verify."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from qualitas.db import utcnow
from qualitas.ledger import chain
from qualitas.ledger.models import AuditEntry


class AuditAction(enum.StrEnum):
    """What an audit entry records."""

    CREATE = "create"
    UPDATE = "update"
    RETIRE = "retire"
    IMPORT = "import"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOCKOUT = "lockout"
    LOGOUT = "logout"
    SESSION_REVOKE = "session_revoke"
    PASSWORD_CHANGE = "password_change"
    PASSWORD_RESET = "password_reset"
    MFA_ENABLE = "mfa_enable"
    ROLE_GRANT = "role_grant"
    ROLE_REVOKE = "role_revoke"
    USER_UNLOCK = "user_unlock"
    TOKEN_CREATE = "token_create"
    TOKEN_REVOKE = "token_revoke"
    CAPTURE = "capture"
    HOLD = "hold"
    RELEASE = "release"


@dataclass(frozen=True)
class Actor:
    """Who did it: a user (via session or token) or the system itself."""

    user_id: int | None
    name: str

    @classmethod
    def system(cls, name: str = "system") -> Actor:
        return cls(None, name)


MAX_SAFE_INT = 2**53 - 1


def json_safe(value: Any) -> Any:
    """Convert a snapshot value into plain JSON (dates to ISO strings, decimals to floats)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SAFE_INT:
        return str(value)  # RFC 8785 (I-JSON) numbers must be exact in a double
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def _lock_head(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7410312)"))


@dataclass(frozen=True)
class Change:
    """One audit entry to append: what happened to which record (see ``append``)."""

    action: AuditAction
    entity_type: str
    entity_id: object | None
    site_id: int | None = None
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    reason: str | None = None


def append(
    session: Session,
    actor: Actor,
    action: AuditAction,
    entity_type: str,
    entity_id: object | None,
    *,
    site_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction (never commits)."""
    change = Change(action, entity_type, entity_id, site_id, before, after, reason)
    return append_many(session, actor, [change])[0]


def append_many(session: Session, actor: Actor, changes: list[Change]) -> list[AuditEntry]:
    """Append entries in order, chained to each other, with one head read and one flush."""
    session.flush()
    _lock_head(session)
    head = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    seq, prev = (head[0] + 1, head[1]) if head else (1, chain.GENESIS_HASH)
    ts = utcnow()
    entries = []
    for c in changes:
        fields: dict[str, Any] = {
            "seq": seq,
            "ts": json_safe(ts),
            "actor_id": actor.user_id,
            "actor_name": actor.name,
            "action": str(c.action),
            "entity_type": c.entity_type,
            "entity_id": None if c.entity_id is None else str(c.entity_id),
            "site_id": c.site_id,
            "before": json_safe(c.before) if c.before is not None else None,
            "after": json_safe(c.after) if c.after is not None else None,
            "reason": c.reason,
            "format": chain.FORMAT_VERSION,
        }
        digest = chain.entry_hash(prev, fields)
        entries.append(AuditEntry(**{**fields, "ts": ts}, prev_hash=prev, hash=digest))
        seq, prev = seq + 1, digest
    session.add_all(entries)
    session.flush()
    return entries


def as_chain_fields(entry: AuditEntry) -> dict[str, Any]:
    """The stored entry as the mapping the chain hashes (plus stored links)."""
    return {
        "seq": entry.seq,
        "ts": json_safe(entry.ts),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "entity_type": entry.entity_type,
        "entity_id": entry.entity_id,
        "site_id": entry.site_id,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
        "format": entry.format,
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def iter_entries(session: Session, batch: int = 5000) -> Iterator[dict[str, Any]]:
    """Stream all entries in chain order, in keyset-paged batches."""
    last = 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield as_chain_fields(row)
        last = rows[-1].seq
        session.expunge_all()


def count(session: Session) -> int:
    head = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
    return int(head or 0)


def verify(session: Session, progress: Callable[[int], None] | None = None) -> chain.ChainReport:
    """Recompute the whole chain from the stored rows."""

    def tracked() -> Iterator[dict[str, Any]]:
        for i, entry in enumerate(iter_entries(session), start=1):
            if progress and i % 1000 == 0:
                progress(i)
            yield entry

    return chain.verify_chain(tracked())


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Field-level changes between two snapshots, for the history panel."""
    before, after = before or {}, after or {}
    keys = [k for k in after if k not in ("updated_at", "version")] + [
        k for k in before if k not in after and k not in ("updated_at", "version")
    ]
    return [
        {"field": k, "old": before.get(k), "new": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    ]


def history(session: Session, entity_type: str, entity_id: object) -> list[AuditEntry]:
    """Entries of one record, newest first."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity_type == entity_type, AuditEntry.entity_id == str(entity_id))
            .order_by(AuditEntry.seq.desc())
        )
    )
