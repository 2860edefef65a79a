"""The EPCIS 2.0 codec on small hand-written documents: reading, validation, facts, writing,
and the CBV 2.0 event hash."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from typing import Any

import pytest

from qualitas.trace.epcis import (
    EpcisInvalid,
    event_hash,
    facts,
    normalise_event,
    parse_document,
    pre_hash_string,
    to_json_document,
    to_xml_document,
)
from qualitas.trace.epcis.document import sniff

CONTEXT = [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"qc": "https://ns.example.com/qc/"},
]
DL = "https://id.gs1.org/"

OBJECT = {
    "type": "ObjectEvent",
    "eventTime": "2024-03-01T09:15:30.124Z",
    "eventTimeZoneOffset": "+01:00",
    "eventID": "urn:uuid:6a1c2f6e-0d0e-4c8b-9a57-0c6d7c2d7a11",
    "epcList": ["urn:epc:id:sgtin:4012345.011111.1001", "urn:epc:id:sgtin:4012345.011111.1002"],
    "action": "ADD",
    "bizStep": "commissioning",
    "disposition": "active",
    "readPoint": {"id": "urn:epc:id:sgln:4012345.00001.0"},
    "bizLocation": {"id": "urn:epc:id:sgln:4012345.00001.0"},
    "bizTransactionList": [
        {"type": "prodorder", "bizTransaction": "urn:epc:id:gdti:4012345.00002.77"}
    ],
    "sourceList": [{"type": "location", "source": "urn:epc:id:sgln:4012345.00001.0"}],
    "destinationList": [{"type": "owning_party", "destination": "urn:epc:id:pgln:4012345.00003"}],
    "sensorElementList": [
        {
            "sensorMetadata": {
                "time": "2024-03-01T09:15:00Z", "deviceID": "urn:epc:id:giai:4012345.T1"
            },
            "sensorReport": [{"type": "Temperature", "value": 21.5, "uom": "CEL"}],
        }
    ],
    "persistentDisposition": {"set": ["completeness_verified"]},
    "ilmd": {"cbvmda:lotNumber": "L-2024-03", "qc:grade": "A"},
    "qc:inspector": "Q-17",
}  # fmt: skip
AGGREGATION = {
    "type": "AggregationEvent",
    "eventTime": "2024-03-01T10:00:00Z",
    "eventTimeZoneOffset": "+01:00",
    "parentID": "urn:epc:id:sscc:4012345.0000000001",
    "childEPCs": ["urn:epc:id:sgtin:4012345.011111.1001"],
    "action": "ADD",
    "bizStep": "packing",
    "childQuantityList": [
        {"epcClass": "urn:epc:class:lgtin:4012345.022222.L7", "quantity": 12.5, "uom": "KGM"}
    ],
}
TRANSFORMATION = {
    "type": "TransformationEvent",
    "eventTime": "2024-03-01T08:00:00Z",
    "eventTimeZoneOffset": "+01:00",
    "inputQuantityList": [
        {"epcClass": "urn:epc:class:lgtin:4012345.033333.R1", "quantity": 40, "uom": "KGM"},
        {"epcClass": "urn:epc:class:lgtin:4012345.033333.R2", "quantity": 2.25, "uom": "KGM"},
    ],
    "outputQuantityList": [
        {"epcClass": "urn:epc:class:lgtin:4012345.022222.L7", "quantity": 42, "uom": "KGM"}
    ],
    "outputEPCList": ["urn:epc:id:sgtin:4012345.011111.1001"],
    "transformationID": "urn:epc:id:gdti:4012345.00002.77",
    "bizStep": "commissioning",
    "ilmd": {"cbvmda:lotNumber": "L7"},
}
ASSOCIATION = {
    "type": "AssociationEvent",
    "eventTime": "2024-03-01T11:00:00Z",
    "eventTimeZoneOffset": "+01:00",
    "parentID": "urn:epc:id:giai:4012345.ROBOT-1",
    "childEPCs": ["urn:epc:id:giai:4012345.SENSOR-9"],
    "action": "ADD",
    "bizStep": "assembling",
}
TRANSACTION = {
    "type": "TransactionEvent",
    "eventTime": "2024-03-01T12:00:00Z",
    "eventTimeZoneOffset": "+01:00",
    "bizTransactionList": [
        {"type": "desadv", "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:ASN1"}
    ],
    "parentID": "urn:epc:id:sscc:4012345.0000000001",
    "epcList": ["urn:epc:id:sgtin:4012345.011111.1001"],
    "action": "ADD",
    "bizStep": "shipping",
    "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.022222.L7", "quantity": 3}],
}  # fmt: skip
EVENTS = [OBJECT, AGGREGATION, TRANSFORMATION, ASSOCIATION, TRANSACTION]

XML_TWIN = b"""<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:qc="https://ns.example.com/qc"
    xmlns:cbvmda="urn:epcglobal:cbv:mda" schemaVersion="2.0" creationDate="2024-03-01T12:00:00Z">
  <EPCISBody>
    <EventList>
      <ObjectEvent>
        <eventTime>2024-03-01T10:15:30.124+01:00</eventTime>
        <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
        <eventID>urn:uuid:6a1c2f6e-0d0e-4c8b-9a57-0c6d7c2d7a11</eventID>
        <epcList>
          <epc>urn:epc:id:sgtin:4012345.011111.1001</epc>
          <epc>urn:epc:id:sgtin:4012345.011111.1002</epc>
        </epcList>
        <action>ADD</action>
        <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
        <disposition>urn:epcglobal:cbv:disp:active</disposition>
        <readPoint><id>urn:epc:id:sgln:4012345.00001.0</id></readPoint>
        <bizLocation><id>urn:epc:id:sgln:4012345.00001.0</id></bizLocation>
        <bizTransactionList>
          <bizTransaction type="urn:epcglobal:cbv:btt:prodorder">urn:epc:id:gdti:4012345.00002.77</bizTransaction>
        </bizTransactionList>
        <sourceList>
          <source type="urn:epcglobal:cbv:sdt:location">urn:epc:id:sgln:4012345.00001.0</source>
        </sourceList>
        <destinationList>
          <destination type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:4012345.00003</destination>
        </destinationList>
        <sensorElementList>
          <sensorElement>
            <sensorMetadata time="2024-03-01T10:15:00+01:00" deviceID="urn:epc:id:giai:4012345.T1"/>
            <sensorReport type="gs1:Temperature" value="21.50" uom="CEL"/>
          </sensorElement>
        </sensorElementList>
        <persistentDisposition><set>urn:epcglobal:cbv:disp:completeness_verified</set></persistentDisposition>
        <ilmd><cbvmda:lotNumber>L-2024-03</cbvmda:lotNumber><qc:grade>A</qc:grade></ilmd>
        <qc:inspector>Q-17</qc:inspector>
      </ObjectEvent>
      <AggregationEvent>
        <eventTime>2024-03-01T11:00:00+01:00</eventTime>
        <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
        <parentID>urn:epc:id:sscc:4012345.0000000001</parentID>
        <childEPCs><epc>urn:epc:id:sgtin:4012345.011111.1001</epc></childEPCs>
        <action>ADD</action>
        <bizStep>urn:epcglobal:cbv:bizstep:packing</bizStep>
        <childQuantityList>
          <quantityElement>
            <epcClass>urn:epc:class:lgtin:4012345.022222.L7</epcClass>
            <quantity>12.5</quantity><uom>KGM</uom>
          </quantityElement>
        </childQuantityList>
      </AggregationEvent>
      <extension>
        <TransformationEvent>
          <eventTime>2024-03-01T08:00:00.000Z</eventTime>
          <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
          <inputQuantityList>
            <quantityElement><epcClass>urn:epc:class:lgtin:4012345.033333.R1</epcClass><quantity>40</quantity><uom>KGM</uom></quantityElement>
            <quantityElement><epcClass>urn:epc:class:lgtin:4012345.033333.R2</epcClass><quantity>2.25</quantity><uom>KGM</uom></quantityElement>
          </inputQuantityList>
          <outputEPCList><epc>urn:epc:id:sgtin:4012345.011111.1001</epc></outputEPCList>
          <outputQuantityList>
            <quantityElement><epcClass>urn:epc:class:lgtin:4012345.022222.L7</epcClass><quantity>42</quantity><uom>KGM</uom></quantityElement>
          </outputQuantityList>
          <transformationID>urn:epc:id:gdti:4012345.00002.77</transformationID>
          <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
          <ilmd><cbvmda:lotNumber>L7</cbvmda:lotNumber></ilmd>
        </TransformationEvent>
      </extension>
      <AssociationEvent>
        <eventTime>2024-03-01T11:00:00Z</eventTime>
        <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
        <parentID>urn:epc:id:giai:4012345.ROBOT-1</parentID>
        <childEPCs><epc>urn:epc:id:giai:4012345.SENSOR-9</epc></childEPCs>
        <action>ADD</action>
        <bizStep>urn:epcglobal:cbv:bizstep:assembling</bizStep>
      </AssociationEvent>
      <TransactionEvent>
        <eventTime>2024-03-01T13:00:00+01:00</eventTime>
        <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
        <bizTransactionList>
          <bizTransaction type="urn:epcglobal:cbv:btt:desadv">urn:epcglobal:cbv:bt:4012345000009:ASN1</bizTransaction>
        </bizTransactionList>
        <parentID>urn:epc:id:sscc:4012345.0000000001</parentID>
        <epcList><epc>urn:epc:id:sgtin:4012345.011111.1001</epc></epcList>
        <action>ADD</action>
        <bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>
        <quantityList>
          <quantityElement><epcClass>urn:epc:class:lgtin:4012345.022222.L7</epcClass><quantity>3</quantity></quantityElement>
        </quantityList>
      </TransactionEvent>
    </EventList>
  </EPCISBody>
</epcis:EPCISDocument>
"""  # noqa: E501


def document(*events: dict[str, Any], **top: Any) -> dict[str, Any]:
    doc = {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2024-03-01T12:00:00Z",
        "epcisBody": {"eventList": [copy.deepcopy(e) for e in events]},
    }
    doc.update(top)
    return doc


def raw(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc).encode()


def errors_of(data: bytes, content_type: str | None = None) -> dict[str, str]:
    with pytest.raises(EpcisInvalid) as info:
        parse_document(data, content_type)
    return {e.pointer: e.message for e in info.value.errors}


# -- reading -----------------------------------------------------------------------------------


def test_json_document_reads_all_event_types() -> None:
    doc = parse_document(raw(document(*EVENTS)), "application/ld+json")
    assert doc.format == "json"
    assert [e["type"] for e in doc.events] == [e["type"] for e in EVENTS]
    assert doc.header["schemaVersion"] == "2.0"
    # the prefixes an event's keys use travel with the event
    assert doc.events[0]["@context"] == {"qc": "https://ns.example.com/qc/"}
    assert "@context" not in doc.events[1]


def test_xml_twin_gives_the_same_events_and_hashes() -> None:
    from_json = parse_document(raw(document(*EVENTS)))
    from_xml = parse_document(XML_TWIN)
    assert from_xml.format == "xml"
    assert from_xml.events[2]["type"] == "TransformationEvent"  # read from the 1.x wrapper
    assert from_xml.events[0]["@context"] == {
        "qc": "https://ns.example.com/qc",
        "cbvmda": "urn:epcglobal:cbv:mda",
    }
    assert from_xml.events[0]["sensorElementList"][0]["sensorReport"][0]["value"] == 21.5
    for a, b in zip(from_json.events, from_xml.events, strict=True):
        assert normalise_event(a) == normalise_event(b)
        assert event_hash(a) == event_hash(b)


def test_normalise_event_bare_vocabulary_and_utc_times() -> None:
    xml_event = parse_document(XML_TWIN).events[0]
    norm = normalise_event(xml_event)
    assert norm["bizStep"] == "commissioning"
    assert norm["persistentDisposition"] == {"set": ["completeness_verified"]}
    assert norm["sensorElementList"][0]["sensorReport"][0]["type"] == "Temperature"
    assert norm["eventTime"] == "2024-03-01T09:15:30.124Z"
    assert norm["epcList"] == OBJECT["epcList"]  # identifiers are left as written
    assert xml_event["bizStep"] == "urn:epcglobal:cbv:bizstep:commissioning"  # input untouched


def test_facts_of_each_event_type() -> None:
    obj, agg, trans, assoc, txn = (facts(e) for e in parse_document(XML_TWIN).events)
    assert obj.type == "ObjectEvent" and obj.action == "ADD"
    assert obj.event_time == dt.datetime(2024, 3, 1, 9, 15, 30, 124000, tzinfo=dt.UTC)
    assert obj.tz_offset == "+01:00" and obj.record_time is None
    assert obj.event_id == OBJECT["eventID"]
    assert (obj.biz_step, obj.disposition) == ("commissioning", "active")
    assert obj.read_point == f"{DL}414/4012345000016"
    assert obj.biz_transactions == (("prodorder", f"{DL}253/401234500002377"),)
    assert obj.sources == (("location", f"{DL}414/4012345000016"),)
    assert obj.destinations == (("owning_party", f"{DL}417/4012345000030"),)
    assert [o.key for o in obj.objects] == [
        f"{DL}01/04012345111118/21/1001",
        f"{DL}01/04012345111118/21/1002",
    ]
    assert obj.lot_of_instance == "L-2024-03"
    assert obj.persistent_set == ("completeness_verified",) and obj.persistent_unset == ()
    assert obj.has_sensor_data and obj.error_declaration is None
    parent, child, child_class = agg.objects
    assert (parent.role, parent.key, parent.is_class) == (
        "parent",
        f"{DL}00/040123450000000016",
        False,
    )
    assert (child.role, child.is_class) == ("child", False)
    assert (child_class.role, child_class.quantity, child_class.uom, child_class.is_class) == (
        "child", 12.5, "KGM", True,
    )  # fmt: skip
    assert trans.action is None
    assert trans.transformation_id == f"{DL}253/401234500002377"
    assert [(o.role, o.quantity) for o in trans.objects] == [
        ("output", None), ("input", 40.0), ("input", 2.25), ("output", 42.0),
    ]  # fmt: skip
    assert assoc.objects[0].key == f"{DL}8004/4012345ROBOT-1"
    assert txn.biz_transactions == (("desadv", "urn:epcglobal:cbv:bt:4012345000009:ASN1"),)
    assert {o.role for o in txn.objects} == {"parent", "epc"}


def test_error_declaration_facts() -> None:
    declared = dict(AGGREGATION, errorDeclaration={
        "declarationTime": "2024-03-02T08:00:00+01:00",
        "reason": "urn:epcglobal:cbv:er:incorrect_data",
        "correctiveEventIDs": ["urn:uuid:1", "urn:uuid:2"],
    })  # fmt: skip
    err = facts(parse_document(raw(document(declared))).events[0]).error_declaration
    assert err is not None
    assert err.declaration_time == dt.datetime(2024, 3, 2, 7, 0, tzinfo=dt.UTC)
    assert (err.reason, err.corrective_event_ids) == (
        "incorrect_data",
        ("urn:uuid:1", "urn:uuid:2"),
    )


def test_zero_events_are_valid() -> None:
    assert parse_document(raw(document())).events == []
    empty_xml = (
        b'<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" '
        b'creationDate="2024-01-01T00:00:00Z"><EPCISBody><EventList/></EPCISBody>'
        b"</epcis:EPCISDocument>"
    )
    assert parse_document(empty_xml).events == []


def test_query_document_results() -> None:
    query = to_json_document(EVENTS, query_name="SimpleEventQuery", subscription_id="s1")
    assert query["type"] == "EPCISQueryDocument"
    results = query["epcisBody"]["queryResults"]
    assert (results["queryName"], results["subscriptionID"]) == ("SimpleEventQuery", "s1")
    back = parse_document(raw(query))
    assert back.header["queryName"] == "SimpleEventQuery"
    assert [normalise_event(e) for e in back.events] == [normalise_event(e) for e in EVENTS]
    xml_back = parse_document(to_xml_document(EVENTS, query_name="SimpleEventQuery"))
    assert xml_back.header["queryName"] == "SimpleEventQuery"
    assert [event_hash(e) for e in xml_back.events] == [event_hash(e) for e in EVENTS]


# -- writing -----------------------------------------------------------------------------------


def test_json_and_xml_round_trips() -> None:
    source = parse_document(XML_TWIN)
    as_json = to_json_document(source.events)
    assert as_json["@context"][0] == CONTEXT[0]
    assert as_json["epcisBody"]["eventList"][0]["bizStep"] == "commissioning"  # JSON-LD form
    as_xml = to_xml_document(source.events)
    for data in (raw(as_json), as_xml):
        again = parse_document(data)
        assert [normalise_event(e) for e in again.events] == [
            normalise_event(e) for e in source.events
        ]
        assert [event_hash(e) for e in again.events] == [event_hash(e) for e in source.events]
    text = as_xml.decode()
    assert "<bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>" in text
    assert 'type="gs1:Temperature"' in text


def test_typed_extension_values_survive_xml() -> None:
    event = dict(OBJECT, **{"qc:count": 3, "qc:ratio": 0.5, "qc:ok": True, "qc:tags": ["a", "b"]})
    event["qc:nested"] = {"qc:a": "1", "@qc:unit": "KGM", "#text": "x"}
    xml = to_xml_document([event], CONTEXT)
    assert b'xsi:type="xsd:integer"' in xml and b'xsi:type="xsd:boolean"' in xml
    back = parse_document(xml).events[0]
    for key in ("qc:count", "qc:ratio", "qc:ok", "qc:tags", "qc:nested"):
        assert back[key] == event[key]


# -- validation ----------------------------------------------------------------------------------


def test_invalid_json_events_report_every_problem_at_its_pointer() -> None:
    bad_object = dict(OBJECT, eventTime="2024-03-01T09:15:30", eventTimeZoneOffset="1:00")
    bad_object["epcList"] = ["urn:epc:id:sgtin:4012345.01111.1", 7]
    bad_object["childEPCs"] = []
    bad_agg = dict(AGGREGATION, action="JUMP")
    bad_agg["childQuantityList"] = [{"epcClass": "urn:epc:class:lgtin:4012345.022222.L7",
                                     "quantity": -1}]  # fmt: skip
    bad_trans = dict(TRANSFORMATION, action="ADD", errorDeclaration={"reason": "did_not_occur"})
    unknown = {"type": "QuantityEvent", "eventTime": "2024-03-01T09:00:00Z"}
    errors = errors_of(raw(document(bad_object, bad_agg, bad_trans, unknown, {"foo": 1})))
    base = "/epcisBody/eventList"
    assert set(errors) == {
        f"{base}/0/eventTime",
        f"{base}/0/eventTimeZoneOffset",
        f"{base}/0/epcList/0",
        f"{base}/0/epcList/1",
        f"{base}/0/childEPCs",
        f"{base}/1/action",
        f"{base}/1/childQuantityList/0/quantity",
        f"{base}/2/action",
        f"{base}/2/errorDeclaration/declarationTime",
        f"{base}/3/type",
        f"{base}/4/type",
    }
    assert "13 digits" in errors[f"{base}/0/epcList/0"]
    assert "not a field of ObjectEvent" in errors[f"{base}/0/childEPCs"]
    assert ">= 0" in errors[f"{base}/1/childQuantityList/0/quantity"]


def test_invalid_document_shapes() -> None:
    assert set(errors_of(raw(document(type="ObjectEvent")))) == {"/type"}
    no_list = document()
    no_list["epcisBody"] = {"eventList": {"type": "ObjectEvent"}}
    assert "/epcisBody/eventList" in errors_of(raw(no_list))
    missing = document()
    del missing["schemaVersion"], missing["@context"]
    assert {"/schemaVersion", "/@context"} <= set(errors_of(raw(missing)))
    assert "/" in errors_of(b"[1, 2]")


def test_invalid_xml_events_report_pointer_and_line() -> None:
    bad = XML_TWIN.replace(
        b"<action>ADD</action>\n        <bizStep>urn:epcglobal:cbv:bizstep:packing",
        b"<action>PACK</action>\n        <bizStep>urn:epcglobal:cbv:bizstep:packing",
    )
    bad = bad.replace(b"<quantity>12.5</quantity>", b"<quantity>lots</quantity>")
    with pytest.raises(EpcisInvalid) as info:
        parse_document(bad)
    found = {e.pointer: e for e in info.value.errors}
    assert set(found) == {"event[1]/action", "event[1]/childQuantityList/0/quantity"}
    lines = bad.decode().splitlines()
    action_line = found["event[1]/action"].line
    assert action_line is not None and "PACK" in lines[action_line - 1]
    # the nearest element read is the quantity element; the bad quantity is two lines below
    element_line = found["event[1]/childQuantityList/0/quantity"].line
    assert element_line is not None and "lots" in "".join(
        lines[element_line - 1 : element_line + 2]
    )


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b'{"type": "EPCISDocument",', "malformed JSON"),
        (b'{"a": NaN}', "malformed JSON"),
        (b"<epcis:EPCISDocument><EPCISBody></epcis:EPCISDocument>", "malformed XML"),
        (b"hello", "neither JSON"),
        (b"<!DOCTYPE d [<!ENTITY x 'boom'>]><d>&x;</d>", "document type declarations"),
        (b'<!DOCTYPE d SYSTEM "file:///etc/passwd"><d/>', "document type declarations"),
        (b"<EPCISMasterDataDocument/>", "root element"),
    ],
)
def test_malformed_and_unsafe_documents(data: bytes, fragment: str) -> None:
    errors = errors_of(data)
    assert set(errors) == {"/"}
    assert fragment in errors["/"]


def test_bare_doctype_is_accepted() -> None:
    doc = XML_TWIN.replace(b"<epcis:EPCISDocument", b"<!DOCTYPE project>\n<epcis:EPCISDocument", 1)
    assert len(parse_document(doc).events) == 5


def test_sniffing() -> None:
    assert sniff(b"  {}", None) == "json"
    assert sniff(b"\xef\xbb\xbf<a/>", None) == "xml"
    assert sniff(b"<a/>", "application/ld+json; charset=utf-8") == "json"
    assert sniff(b"{}", "text/xml") == "xml"
    assert sniff("<a/>".encode("utf-16"), None) == "xml"


# -- event hash ----------------------------------------------------------------------------------

GOLDEN_XML = b"""<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2"
 xmlns:ex="https://ns.example.com/qc" schemaVersion="2.0" creationDate="2024-03-01T10:00:00Z">
 <EPCISBody><EventList><ObjectEvent>
  <eventTime>2024-03-01T10:15:30.1236+01:00</eventTime>
  <eventTimeZoneOffset>+01:00</eventTimeZoneOffset>
  <epcList><epc>urn:epc:id:sgtin:4012345.011111.1002</epc><epc>urn:epc:id:sgtin:4012345.011111.1001</epc></epcList>
  <action>OBSERVE</action>
  <bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>
  <disposition>urn:epcglobal:cbv:disp:in_transit</disposition>
  <readPoint><id>urn:epc:id:sgln:4012345.00001.0</id></readPoint>
  <quantityList><quantityElement><epcClass>urn:epc:class:lgtin:4012345.022222.L7</epcClass>
   <quantity>12.50</quantity><uom>KGM</uom></quantityElement></quantityList>
  <ex:inspector>Q-17</ex:inspector>
 </ObjectEvent></EventList></EPCISBody></epcis:EPCISDocument>"""
GOLDEN_PRE_HASH = (
    "eventType=ObjectEventeventTime=2024-03-01T09:15:30.124ZeventTimeZoneOffset=+01:00"
    "epcListepc=https://id.gs1.org/01/04012345111118/21/1001"
    "epc=https://id.gs1.org/01/04012345111118/21/1002"
    "quantityListquantityElementepcClass=https://id.gs1.org/01/04012345222227/10/L7"
    "quantity=12.5uom=KGMaction=OBSERVEbizStep=https://ref.gs1.org/cbv/BizStep-shipping"
    "disposition=https://ref.gs1.org/cbv/Disp-in_transit"
    "readPointid=https://id.gs1.org/414/4012345000016{https://ns.example.com/qc}inspector=Q-17"
)
# The same value is produced by the independent reference implementation of the algorithm
# (epcis-event-hash-generator 1.9.3) for GOLDEN_XML.
GOLDEN_HASH = (
    "ni:///sha-256;2236289f3c4f1af930fe2f978270b5b1a4c8aa32f6a389b642b5540c67549efc?ver=CBV2.0"
)


def test_golden_pre_hash_and_hash() -> None:
    event = parse_document(GOLDEN_XML).events[0]
    assert pre_hash_string(event) == GOLDEN_PRE_HASH
    assert event_hash(event) == GOLDEN_HASH
    assert re.fullmatch(r"ni:///sha-256;[0-9a-f]{64}\?ver=CBV2\.0", event_hash(event))


def _variants() -> list[dict[str, Any]]:
    base = parse_document(GOLDEN_XML).events[0]
    reordered = dict(reversed(list(base.items())))
    json_form = {
        "@context": {"ex": "https://ns.example.com/qc/"},  # JSON-LD prefix with its trailing "/"
        "type": "ObjectEvent",
        "eventTime": "2024-03-01T09:15:30.1236Z",  # the same instant, written in UTC
        "eventTimeZoneOffset": "+01:00",
        "epcList": [  # Digital Link form, other host, other order
            "https://brand.example/01/04012345111118/21/1001?x=1",
            "https://id.gs1.org/01/4012345111118/21/1002",
        ],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "https://ref.gs1.org/cbv/Disp-in_transit",
        "readPoint": {"id": "https://id.gs1.org/414/4012345000016"},
        "quantityList": [
            {"uom": "KGM", "quantity": 12.5, "epcClass": "urn:epc:class:lgtin:4012345.022222.L7"}
        ],
        "ex:inspector": " Q-17 ",
        "recordTime": "2024-03-05T00:00:00Z",  # not hashed
        "eventID": "urn:uuid:0b8b6c8e-2a41-4b89-9fd4-1f6a0f1d5c11",  # not hashed
    }  # fmt: skip
    declared = dict(base, errorDeclaration={"declarationTime": "2024-03-02T00:00:00Z"})
    return [reordered, json_form, declared]


@pytest.mark.parametrize("variant", range(3))
def test_hash_ignores_representation(variant: int) -> None:
    assert event_hash(_variants()[variant]) == GOLDEN_HASH


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("eventTime", "2024-03-01T10:15:30.125+01:00"),
        ("eventTimeZoneOffset", "+02:00"),  # part of the canonical property order (item 3)
        ("action", "ADD"),
        ("bizStep", "receiving"),
        ("epcList", ["urn:epc:id:sgtin:4012345.011111.1001"]),
        ("ex:inspector", "Q-18"),
        ("certificationInfo", "https://cert.example.com/c/1"),
    ],
)
def test_hash_changes_with_the_event(key: str, value: Any) -> None:
    event = parse_document(GOLDEN_XML).events[0]
    event[key] = value
    assert event_hash(event) != GOLDEN_HASH


def test_hash_rounds_to_milliseconds_without_overflow() -> None:
    event = parse_document(GOLDEN_XML).events[0]
    event["eventTime"] = "2023-12-31T23:59:59.9995Z"
    assert "eventTime=2024-01-01T00:00:00.000Z" in pre_hash_string(event)
    event["eventTime"] = "2024-01-01T00:00:00Z"
    same = event_hash(event)
    event["eventTime"] = "2023-12-31T23:59:59.99951Z"
    assert event_hash(event) == same
