"""The audit hash chain: pure functions, no I/O.

Entry format v1 (stable; the Merkle log builds leaves from ``canonical_bytes``):
``hash = SHA-256(prev_hash_bytes || JCS(entry))`` where ``entry`` is the JSON object of
:data:`HASHED_FIELDS` and JCS is RFC 8785 canonical JSON. The first entry links to 32 zero bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785

__all__ = [
    "FORMAT_VERSION",
    "GENESIS_HASH",
    "HASHED_FIELDS",
    "ChainBreak",
    "ChainReport",
    "canonical_bytes",
    "entry_hash",
    "verify_chain",
]

FORMAT_VERSION = 1
GENESIS_HASH = "00" * 32
HASHED_FIELDS: tuple[str, ...] = (
    "seq",
    "ts",
    "actor_id",
    "actor_name",
    "action",
    "entity_type",
    "entity_id",
    "site_id",
    "before",
    "after",
    "reason",
    "format",
)


def canonical_bytes(entry: Mapping[str, Any]) -> bytes:
    """RFC 8785 canonical JSON of the hashed fields of ``entry``."""
    missing = [f for f in HASHED_FIELDS if f not in entry]
    if missing:
        raise KeyError(f"entry lacks hashed fields: {', '.join(missing)}")
    return rfc8785.dumps({f: entry[f] for f in HASHED_FIELDS})


def entry_hash(prev_hash: str, entry: Mapping[str, Any]) -> str:
    """Hex SHA-256 over the previous hash's bytes followed by the canonical entry."""
    prev = bytes.fromhex(prev_hash)
    if len(prev) != 32:
        raise ValueError("prev_hash must be 32 bytes of hex")
    return hashlib.sha256(prev + canonical_bytes(entry)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first entry whose stored values do not match the recomputed chain."""

    seq: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    """Result of a verification pass."""

    checked: int
    head: str
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify_chain(entries: Iterable[Mapping[str, Any]]) -> ChainReport:
    """Recompute the chain over ``entries`` (ordered by ``seq``) and report the first break.

    Each entry carries its stored ``prev_hash`` and ``hash``. A break is reported when the
    sequence has a gap, the stored link differs from the previous stored hash, or the
    recomputed hash differs from the stored one (the entry's content was altered).
    """
    expected_prev = GENESIS_HASH
    expected_seq: int | None = None
    checked = 0
    for entry in entries:
        seq = int(entry["seq"])
        if expected_seq is not None and seq != expected_seq:
            return ChainReport(
                checked, expected_prev, ChainBreak(seq, f"gap: expected {expected_seq}")
            )
        if entry["prev_hash"] != expected_prev:
            return ChainReport(checked, expected_prev, ChainBreak(seq, "prev_hash does not link"))
        if entry_hash(expected_prev, entry) != entry["hash"]:
            return ChainReport(
                checked, expected_prev, ChainBreak(seq, "content does not match hash")
            )
        expected_prev = str(entry["hash"])
        expected_seq = seq + 1
        checked += 1
    return ChainReport(checked, expected_prev, None)
