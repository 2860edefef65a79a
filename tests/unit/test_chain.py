"""The audit hash chain (pure): hash formula, canonical JSON, break detection."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualitas.ledger import chain


def entry(seq: int, **over: Any) -> dict[str, Any]:
    base = {
        "seq": seq,
        "ts": "2026-11-22T08:00:00.000001Z",
        "actor_id": 7,
        "actor_name": "qe.a",
        "action": "update",
        "entity_type": "characteristic",
        "entity_id": "61",
        "site_id": 2,
        "before": {"usl": 3.0, "name": "Bore Ø"},
        "after": {"usl": 4.5, "name": "Bore Ø"},
        "reason": "drawing rev B",
        "format": 1,
    }
    return base | over


def build(n: int) -> list[dict[str, Any]]:
    out, prev = [], chain.GENESIS_HASH
    for i in range(1, n + 1):
        e = entry(i, entity_id=str(i))
        e["prev_hash"], e["hash"] = prev, chain.entry_hash(prev, e)
        prev = e["hash"]
        out.append(e)
    return out


def test_hash_formula_matches_independent_computation() -> None:
    e = entry(1)
    # RFC 8785 for this entry: keys sorted, no spaces, UTF-8, 3.0 -> 3, 4.5 -> 4.5
    canonical = (
        json.dumps(
            {k: e[k] for k in chain.HASHED_FIELDS},
            separators=(",", ":"),
            sort_keys=True,
            ensure_ascii=False,
        )
        .replace("3.0", "3")
        .encode()
    )
    assert chain.canonical_bytes(e) == canonical
    expected = hashlib.sha256(bytes(32) + canonical).hexdigest()
    assert chain.entry_hash(chain.GENESIS_HASH, e) == expected


def test_pinned_vector() -> None:
    # Format v1 must never change: this value is pinned.
    assert chain.entry_hash(chain.GENESIS_HASH, entry(1)) == PINNED


PINNED = hashlib.sha256(
    bytes(32)
    + b'{"action":"update","actor_id":7,"actor_name":"qe.a","after":{"name":"Bore \xc3\x98",'
    b'"usl":4.5},"before":{"name":"Bore \xc3\x98","usl":3},"entity_id":"61",'
    b'"entity_type":"characteristic","format":1,"reason":"drawing rev B","seq":1,"site_id":2,'
    b'"ts":"2026-11-22T08:00:00.000001Z"}'
).hexdigest()


def test_valid_chain_verifies() -> None:
    entries = build(50)
    report = chain.verify_chain(entries)
    assert report.ok and report.checked == 50 and report.head == entries[-1]["hash"]


def test_empty_chain() -> None:
    report = chain.verify_chain([])
    assert report.ok and report.checked == 0 and report.head == chain.GENESIS_HASH


@pytest.mark.parametrize("field", ["actor_name", "reason", "after", "ts", "site_id"])
def test_altered_content_is_named(field: str) -> None:
    entries = build(10)
    entries[6][field] = {"tampered": True} if field == "after" else "x"
    report = chain.verify_chain(entries)
    assert report.first_break is not None
    assert report.first_break.seq == 7
    assert "content" in report.first_break.reason
    assert report.checked == 6


def test_removed_entry_is_a_gap() -> None:
    entries = build(10)
    del entries[3]
    brk = chain.verify_chain(entries).first_break
    assert brk is not None and brk.seq == 5 and "gap" in brk.reason


def test_rehashed_entry_breaks_the_next_link() -> None:
    entries = build(10)
    entries[4]["reason"] = "rewritten"
    entries[4]["hash"] = chain.entry_hash(entries[4]["prev_hash"], entries[4])
    brk = chain.verify_chain(entries).first_break
    assert brk is not None and brk.seq == 6 and "prev_hash" in brk.reason


def test_first_entry_must_link_to_genesis() -> None:
    entries = build(3)[1:]
    brk = chain.verify_chain(entries).first_break
    assert brk is not None and brk.seq == 2


def test_rejects_bad_prev_hash_and_missing_fields() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        chain.entry_hash("ab", entry(1))
    bad = entry(1)
    del bad["reason"]
    with pytest.raises(KeyError, match="reason"):
        chain.canonical_bytes(bad)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.text(max_size=20)
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(before=json_values, after=json_values)
def test_any_json_snapshot_round_trips_and_any_change_is_detected(before: Any, after: Any) -> None:
    e = entry(1, before={"v": before}, after={"v": after})
    e["prev_hash"] = chain.GENESIS_HASH
    e["hash"] = chain.entry_hash(chain.GENESIS_HASH, e)
    # What the database returns after a JSON round trip must still verify.
    stored = json.loads(json.dumps(e))
    assert chain.verify_chain([stored]).ok
    stored["after"] = {"v": [after]}
    assert not chain.verify_chain([stored]).ok
