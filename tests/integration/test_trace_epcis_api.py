"""EPCIS 2.0 capture and query through the API, on both backends.

Hand-written documents always run; every official GS1 example (``../shared/data/epcis``) runs
whenever the folder is there and is required under CI: each is captured, queried back by its
event IDs and exported back (JSON-LD and XML) equivalent; the schema-invalid ones are rejected
with nothing stored.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from qualitas.app import create_app
from qualitas.trace import epcis
from qualitas.trace.models import TraceEvent
from tests.conftest import login

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "epcis" / "examples"
INVALID = [
    "JSON-simple-context/Example-TransactionEvents-2020_07_03y.jsonld",
    "JSON-simple-context/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld",
    "JSON-simple-context/WithSensorData/SensorDataExample12.jsonld",
    "JSON-simple-context/WithSensorData/SensorDataExample17.jsonld",
]
NOT_EVENT_DOCUMENTS = ("CaptureJob", "masterData", "masterdata", "CBV-11.4")


def _examples(pattern: str) -> list[Path]:
    if not EXAMPLES.is_dir():
        return []
    return sorted(
        p for p in EXAMPLES.glob(pattern)
        if not any(x in str(p) for x in NOT_EVENT_DOCUMENTS)
        and p.name != "EPCISQueryDocument.jsonld"
    )  # fmt: skip


def _need_examples() -> None:
    if EXAMPLES.is_dir():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the EPCIS examples are required under CI: {EXAMPLES} is missing")
    pytest.skip("the official EPCIS examples are not on this machine")


@pytest.fixture(scope="module")
def app(fresh_url: str) -> Any:
    return create_app(fresh_url, dispatch=False)


@pytest.fixture(scope="module")
def fresh_url(backend: str, request: pytest.FixtureRequest, tmp_path_factory: Any) -> str:
    from qualitas import migrate
    from qualitas.auth import users
    from qualitas.auth.permissions import Role
    from qualitas.auth.principal import Principal
    from qualitas.auth.schemas import UserCreate
    from qualitas.db import Database
    from tests.conftest import new_url

    url = new_url(backend, request, tmp_path_factory)
    db = Database(url)
    migrate.upgrade(db)
    with db.unit_of_work() as session:
        who = Principal.system("test")
        u = users.create_user(session, who, UserCreate(
            username="epcis", full_name="EPCIS client", email="epcis@example.com",
            password="Trace-Partner-Key-2026!", must_change_password=False))  # fmt: skip
        users.grant_role(session, who, u.id, Role.QUALITY_MANAGER, None, reason="test")
    db.dispose()
    return url


@pytest.fixture(scope="module")
def api(app: Any) -> Any:
    return login(app, "epcis", "Trace-Partner-Key-2026!")


def count(app: Any) -> int:
    with app.state.db.session(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(TraceEvent)) or 0)


def doc(*events: dict[str, Any]) -> dict[str, Any]:
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2025-01-01T00:00:00Z",
        "epcisBody": {"eventList": list(events)},
    }  # fmt: skip


SHIP = {
    "type": "ObjectEvent", "eventTime": "2025-01-10T10:00:00.000+01:00",
    "eventTimeZoneOffset": "+01:00", "action": "OBSERVE", "bizStep": "shipping",
    "epcList": ["urn:epc:id:sgtin:4012345.011111.1001"],
    "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epc:id:gdti:4012345.00001.1234"}],
    "destinationList": [{"type": "owning_party", "destination": "urn:epc:id:pgln:4012345.00000"}],
}  # fmt: skip


def post(api: Any, body: Any, ctype: str = "application/ld+json") -> Any:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return api.post("/epcis/capture", content=data, headers={"Content-Type": ctype})


def results(r: Any) -> list[dict[str, Any]]:
    assert r.status_code == 200, r.text
    return list(r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"])


def test_capture_query_and_duplicate(api: Any, app: Any) -> None:
    r = post(api, doc(SHIP))
    assert r.status_code == 201, r.text
    assert r.headers["GS1-EPCIS-Version"] == "2.0.0"
    hash_id = r.json()["stored"][0]
    assert hash_id == epcis.event_hash(SHIP)
    again = post(api, doc(SHIP))
    assert again.status_code == 201 and again.json()["duplicates"] == [hash_id]
    # the same identifier in Digital Link form, the same step as a CBV URI
    dl = "https://id.gs1.org/01/04012345111118/21/1001"
    found = results(
        api.get(
            "/epcis/events",
            params={"MATCH_epc": dl, "EQ_bizStep": "urn:epcglobal:cbv:bizstep:shipping"},
        )
    )
    assert len(found) == 1 and found[0]["epcList"] == SHIP["epcList"]
    assert results(
        api.get(
            "/epcis/events", params={"EQ_bizTransaction_po": "urn:epc:id:gdti:4012345.00001.1234"}
        )
    )
    assert (
        results(
            api.get(
                "/epcis/events",
                params={"EQ_bizStep": "receiving|shipping", "LT_eventTime": "2025-01-10T08:00:00Z"},
            )
        )
        == []
    )
    by_epc = api.get(f"/epcis/epcs/{SHIP['epcList'][0]}/events")
    assert len(results(by_epc)) == 1


def test_invalid_document_stores_nothing(api: Any, app: Any) -> None:
    before = count(app)
    bad = copy.deepcopy(SHIP)
    bad["eventTime"] = "yesterday"
    r = post(api, doc(dict(SHIP, eventTime="2025-02-01T00:00:00Z"), bad))
    assert r.status_code == 422
    pointers = [e["field"] for e in r.json()["errors"]]
    assert any("1" in p and "eventTime" in p for p in pointers), pointers
    assert count(app) == before
    assert post(api, b"{not json").status_code == 422
    assert post(api, b"<EPCISDocument", "application/xml").status_code == 422


def test_query_parameters_are_validated(api: Any) -> None:
    for params, field in (
        ({"GE_eventTime": "soon"}, "GE_eventTime"),
        ({"EQ_color": "red"}, "EQ_color"),
        ({"perPage": "0"}, "perPage"),
        ({"nextPageToken": "garbage"}, "nextPageToken"),
        ({"eventType": "FooEvent"}, "eventType"),
    ):
        r = api.get("/epcis/events", params=params)
        assert r.status_code == 422, (params, r.text)
        assert r.json()["errors"][0]["field"] == field


def test_paging_with_next_page_token(api: Any) -> None:
    events = [dict(SHIP, eventTime=f"2025-03-0{d}T10:00:00.000Z", eventTimeZoneOffset="+00:00")
              for d in range(1, 6)]  # fmt: skip
    assert post(api, doc(*events)).status_code == 201
    seen: list[str] = []
    params: dict[str, str] = {"GE_eventTime": "2025-03-01T00:00:00Z", "perPage": "2",
                              "orderBy": "eventTime", "orderDirection": "ASC"}  # fmt: skip
    for _ in range(5):
        r = api.get("/epcis/events", params=params)
        seen += [e["eventTime"] for e in results(r)]
        token = r.headers.get("GS1-Next-Page-Token")
        if not token:
            break
        params["nextPageToken"] = token
    assert seen == sorted(seen) and len(seen) == 5


def test_xml_response_on_request(api: Any) -> None:
    r = api.get("/epcis/events", params={"EQ_bizStep": "shipping"},
                headers={"Accept": "application/xml"})  # fmt: skip
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    back = epcis.parse_document(r.content, "application/xml")
    assert back.events and all(e["type"] == "ObjectEvent" for e in back.events)


def _strip(event: dict[str, Any]) -> dict[str, Any]:
    e = epcis.normalise_event(event)
    e.pop("recordTime", None)
    e.pop("eventID", None)
    e.pop("@context", None)  # event contexts are hoisted into the document's
    return e


@pytest.mark.parametrize("path", _examples("JSON/**/*.jsonld") + _examples("XML/**/*.xml"),
                         ids=lambda p: str(p.relative_to(EXAMPLES)))  # fmt: skip
def test_official_example_round_trip(api: Any, path: Path) -> None:
    _need_examples()
    raw = path.read_bytes()
    ctype = "application/xml" if path.suffix == ".xml" else "application/ld+json"
    r = post(api, raw, ctype)
    assert r.status_code == 201, r.text
    sent = epcis.parse_document(raw, ctype).events
    stored, dups = r.json()["stored"], r.json()["duplicates"]
    assert len(stored) + len(dups) == len(sent)
    by_hash = {epcis.event_hash(e): e for e in sent}
    assert set(stored) | set(dups) == set(by_hash)
    if not stored:
        return
    ids = "|".join({e.get("eventID") or h for h, e in by_hash.items() if h in stored})
    params = {"EQ_eventID": ids, "perPage": "1000"}
    got = {_canon(_strip(g)) for g in results(api.get("/epcis/events", params=params))}
    for h in stored:
        assert _canon(_strip(by_hash[h])) in got, h
    xml = api.get("/epcis/events", params=params, headers={"Accept": "application/xml"})
    back = {_canon(_strip(e)) for e in epcis.parse_document(xml.content, "application/xml").events}
    for h in stored:
        assert _canon(_strip(by_hash[h])) in back, h


def _canon(e: dict[str, Any]) -> str:
    return json.dumps(e, sort_keys=True)


@pytest.mark.parametrize("name", INVALID)
def test_official_invalid_examples_are_rejected(api: Any, app: Any, name: str) -> None:
    _need_examples()
    before = count(app)
    r = post(api, (EXAMPLES / name).read_bytes())
    assert r.status_code == 422, r.text
    assert r.json()["errors"] and all(e["field"] for e in r.json()["errors"])
    assert count(app) == before
