"""EPCIS 2.0 / CBV 2.0 codec (pure: no database, web framework or settings).

Reads JSON-LD and XML documents into JSON-LD-shaped event dicts (``parse_document``), writes
them back (``to_json_document``, ``to_xml_document``), computes the CBV 2.0 event hash
(``event_hash``), normalises identifiers to canonical GS1 Digital Link keys (``normalise_id``,
``pattern_prefix``) and vocabulary to bare CBV words (``normalise_vocab``), and reads the facts of
an event the store indexes (``facts``).
"""

from qualitas.trace.epcis.core import EpcisDocument
from qualitas.trace.epcis.document import parse_document
from qualitas.trace.epcis.errors import EpcisError, EpcisInvalid
from qualitas.trace.epcis.hashing import event_hash, pre_hash_string
from qualitas.trace.epcis.identifiers import (
    cbv_uri,
    normalise_class,
    normalise_id,
    normalise_vocab,
    pattern_prefix,
)
from qualitas.trace.epcis.jsonld import parse_json, to_json_document
from qualitas.trace.epcis.normalise import (
    ErrorDeclaration,
    EventFacts,
    ObjectRef,
    facts,
    normalise_event,
)
from qualitas.trace.epcis.xml import parse_xml, to_xml_document

__all__ = [
    "EpcisDocument",
    "EpcisError",
    "EpcisInvalid",
    "ErrorDeclaration",
    "EventFacts",
    "ObjectRef",
    "cbv_uri",
    "event_hash",
    "facts",
    "normalise_class",
    "normalise_event",
    "normalise_id",
    "normalise_vocab",
    "parse_document",
    "parse_json",
    "parse_xml",
    "pattern_prefix",
    "pre_hash_string",
    "to_json_document",
    "to_xml_document",
]
