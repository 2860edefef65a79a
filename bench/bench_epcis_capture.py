"""EPCIS capture throughput: whole documents through ``qualitas.trace.capture``.

The document is a plant's day in miniature, in EPCIS 2.0 JSON-LD: receipts of lots
(ObjectEvent ADD with quantity lists, a PO and a source), production (TransformationEvent with six
input lots and one output lot), packing (AggregationEvent of 12 serials into a case) and shipping
(ObjectEvent with a destination), in the proportions 1 : 2 : 4 : 1. Qualitas validates it,
normalises every identifier, computes every CBV 2.0 event hash, de-duplicates, stores the events,
their identifier and attribute index rows and the lineage graph, in one transaction per document.

The baseline is the floor of any EPCIS repository on the same database: parse the JSON and insert
each event body as one row of a bare table (no validation, hash, index or graph).

    .venv/bin/python bench/bench_epcis_capture.py [--events 5000] [--no-postgres]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from common import postgres_available, postgres_database, sqlite_database
from sqlalchemy import text

from qualitas.db import Database
from qualitas.trace import capture

GCP = "4012345"
CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]


def _time(k: int) -> str:
    return f"2025-{1 + k // 2_000_000:02d}-{1 + (k // 80_000) % 28:02d}T{(k // 3600) % 24:02d}:" \
           f"{(k // 60) % 60:02d}:{k % 60:02d}.{k % 997:03d}+01:00"  # fmt: skip


def _lgtin(item: int, lot: int) -> str:
    return f"urn:epc:class:lgtin:{GCP}.0{item:05d}.L{lot}"


def events(n: int, start: int = 0) -> list[dict[str, Any]]:
    """``n`` events of the mix, deterministic from ``start``."""
    out: list[dict[str, Any]] = []
    k = start
    while len(out) < n:
        base = {"eventTime": _time(k), "eventTimeZoneOffset": "+01:00",
                "readPoint": {"id": f"urn:epc:id:sgln:{GCP}.00001.{k % 7}"}}  # fmt: skip
        out.append({**base, "type": "ObjectEvent", "action": "ADD", "bizStep": "receiving",
                    "quantityList": [{"epcClass": _lgtin(1, k), "quantity": 500, "uom": "KGM"}],
                    "bizTransactionList": [{"type": "po", "bizTransaction": f"urn:x:po:{k}"}],
                    "sourceList": [{"type": "owning_party",
                                    "source": f"urn:epc:id:pgln:{GCP}.00009"}]})  # fmt: skip
        for j in range(2):
            out.append({**base, "type": "TransformationEvent", "bizStep": "commissioning",
                        "transformationID": f"urn:x:wo:{k}-{j}",
                        "inputQuantityList": [{"epcClass": _lgtin(1, k - i), "quantity": 20,
                                               "uom": "KGM"} for i in range(6)],
                        "outputQuantityList": [{"epcClass": _lgtin(2, k * 2 + j),
                                                "quantity": 48}]})  # fmt: skip
        for c in range(4):
            case = k * 4 + c
            out.append({**base, "type": "AggregationEvent", "action": "ADD", "bizStep": "packing",
                        "parentID": f"urn:epc:id:sscc:{GCP}.{case:010d}",
                        "childEPCs": [f"urn:epc:id:sgtin:{GCP}.002222.{case * 12 + u}"
                                      for u in range(12)]})  # fmt: skip
        customer = f"urn:epc:id:pgln:{GCP}.0{k % 50:04d}"
        out.append({**base, "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "shipping",
                    "epcList": [f"urn:epc:id:sscc:{GCP}.{k * 4 + c:010d}" for c in range(4)],
                    "destinationList": [{"type": "owning_party",
                                         "destination": customer}]})  # fmt: skip
        k += 1
    return out[:n]


def document(evs: list[dict[str, Any]]) -> bytes:
    return json.dumps({"@context": CONTEXT, "type": "EPCISDocument", "schemaVersion": "2.0",
                       "creationDate": "2025-01-01T00:00:00Z",
                       "epcisBody": {"eventList": evs}}).encode()  # fmt: skip


def _baseline(db: Database, raw: bytes) -> None:
    with db.unit_of_work() as session:
        body = json.loads(raw)
        rows = [{"b": json.dumps(e)} for e in body["epcisBody"]["eventList"]]
        session.execute(text("INSERT INTO bench_epcis_floor (body) VALUES (:b)"), rows)


def run(db: Database, per_doc: int, docs: int) -> dict[str, float]:
    """Events/s of Qualitas and of the baseline over ``docs`` documents of ``per_doc`` events."""
    with db.unit_of_work() as session:
        session.execute(text("CREATE TABLE bench_epcis_floor (id BIGINT, body TEXT)"))
    raws = [document(events(per_doc, i * per_doc)) for i in range(docs)]
    t_q = t_b = 0.0
    stored = 0
    for raw in raws:
        start = time.perf_counter()
        with db.unit_of_work() as session:
            stored += len(capture.capture_document(session, "bench", raw, None).hash_ids)
        t_q += time.perf_counter() - start
        start = time.perf_counter()
        _baseline(db, raw)
        t_b += time.perf_counter() - start
    assert stored == per_doc * docs, stored
    return {"qualitas": stored / t_q, "baseline": stored / t_b}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000, help="events per document")
    parser.add_argument("--docs", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    with sqlite_database() as db:
        print("sqlite", run(db, args.events, args.docs))
    if not args.no_postgres and postgres_available() is None:
        with postgres_database() as db:
            print("postgresql", run(db, args.events, args.docs))


if __name__ == "__main__":
    main()
