"""EPCIS 2.0 XML: ``parse_xml`` (safe reading into JSON-LD-shaped events) and
``to_xml_document`` (writing that validates against ``EPCglobal-epcis-2_0.xsd``)."""

from __future__ import annotations

from qualitas.trace.epcis.xmlread import parse_xml, read_xml
from qualitas.trace.epcis.xmlwrite import to_xml_document

__all__ = ["parse_xml", "read_xml", "to_xml_document"]
