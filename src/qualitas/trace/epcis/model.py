"""The EPCIS 2.0 event model as data: event types, their fields in schema order, field kinds.

Events are plain dicts shaped exactly like EPCIS 2.0 JSON-LD events. The tables here drive the
structural check, the XML reader and writer, normalisation and the event hash, so that all of them
agree on what a standard field is; any other key is a user extension (``prefix:name``).
"""

from __future__ import annotations

__all__ = [
    "COMMON_FIELDS",
    "EPCIS_NS",
    "EPC_LISTS",
    "EVENT_FIELDS",
    "EVENT_TYPES",
    "ID_FIELDS",
    "JSONLD_KEYS",
    "QUANTITY_LISTS",
    "SOURCE_DEST",
    "STANDARD_PREFIXES",
    "TIME_FIELDS",
    "WRAPPERS",
    "is_extension_key",
]

EPCIS_NS = "urn:epcglobal:epcis:xsd:2"
EPCIS_QUERY_NS = "urn:epcglobal:epcis-query:xsd:2"
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"

EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)
# fields every event may carry, in XML schema order
COMMON_FIELDS = (
    "eventTime",
    "recordTime",
    "eventTimeZoneOffset",
    "eventID",
    "errorDeclaration",
    "certificationInfo",
)
_WHERE_WHY = ("bizStep", "disposition", "readPoint", "bizLocation")
_TAIL = ("sourceList", "destinationList", "sensorElementList", "persistentDisposition")
# type-specific fields, in XML schema order
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    "ObjectEvent": (
        "epcList", "action", *_WHERE_WHY, "bizTransactionList", "quantityList", *_TAIL, "ilmd",
    ),
    "AggregationEvent": (
        "parentID", "childEPCs", "action", *_WHERE_WHY, "bizTransactionList", "childQuantityList",
        *_TAIL,
    ),
    "TransactionEvent": (
        "bizTransactionList", "parentID", "epcList", "action", *_WHERE_WHY, "quantityList", *_TAIL,
    ),
    "TransformationEvent": (
        "inputEPCList", "inputQuantityList", "outputEPCList", "outputQuantityList",
        "transformationID", *_WHERE_WHY, "bizTransactionList", *_TAIL, "ilmd",
    ),
    "AssociationEvent": (
        "parentID", "childEPCs", "childQuantityList", "action", *_WHERE_WHY, "bizTransactionList",
        *_TAIL,
    ),
}  # fmt: skip
EPC_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
SOURCE_DEST = {"sourceList": "source", "destinationList": "destination"}
# single identifiers (validated as EPC URNs when written as one)
ID_FIELDS = ("parentID",)
# keys whose values are date-times wherever they appear in the standard structure
TIME_FIELDS = frozenset(
    {"eventTime", "recordTime", "declarationTime", "time", "startTime", "endTime"}
)
# JSON-LD keys of an event node that are not event data (no XML form, not hashed)
JSONLD_KEYS = frozenset({"@context", "@id", "id", "@type"})
# XML wrapper elements whose children belong to the enclosing element (EPCIS 1.x extension points)
WRAPPERS = frozenset({"extension", "baseExtension"})
# prefixes the EPCIS 2.0 JSON-LD context defines for every document
STANDARD_PREFIXES = {
    "epcis": "https://ref.gs1.org/epcis/",
    "cbv": "https://ref.gs1.org/cbv/",
    "cbvmda": "urn:epcglobal:cbv:mda:",
    "gs1": "https://gs1.org/voc/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}
SENSOR_METADATA_FIELDS = (
    "time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
    "dataProcessingMethod", "bizRules",
)  # fmt: skip
SENSOR_REPORT_FIELDS = (
    "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time",
    "microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue",
    "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank",
    "percValue", "uom", "coordinateReferenceSystem",
)  # fmt: skip
SENSOR_NUMBERS = frozenset({"value", "minValue", "maxValue", "meanValue", "sDev", "percRank",
                            "percValue"})  # fmt: skip


def is_extension_key(key: str) -> bool:
    """True for a user extension property name (``prefix:name`` or an absolute IRI)."""
    return ":" in key and not key.startswith("@")
