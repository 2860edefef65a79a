"""Reading an EPCIS 2.0 document of either syntax, with every problem reported at once.

``parse_document`` picks the syntax from the content type (or, without one, from the first byte
that is not white space: ``{`` JSON, ``<`` XML), validates against the GS1 schema files when a
schema directory is given, always runs the built-in structural check, and raises
``EpcisInvalid`` listing every error. A document with no events is valid.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Literal

from qualitas.trace.epcis.core import EpcisDocument
from qualitas.trace.epcis.errors import EpcisError, EpcisInvalid
from qualitas.trace.epcis.jsonld import read_json
from qualitas.trace.epcis.schemas import json_schema_errors, xml_schema_errors
from qualitas.trace.epcis.xmlread import XmlRead, read_xml

__all__ = ["EpcisDocument", "EpcisError", "EpcisInvalid", "parse_document", "sniff"]

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_EVENT_STEP = re.compile(r"/EventList/(?:extension/)?[^/\[]+(?:\[\d+\])?(?P<tail>/.*)?$")


def sniff(raw: bytes, content_type: str | None = None) -> Literal["json", "xml"]:
    """``json`` or ``xml``: from the media type when it says, else from the first byte."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media.endswith("json"):
        return "json"
    if media.endswith("xml"):
        return "xml"
    head = raw
    for bom in _BOMS:
        if head.startswith(bom):
            if bom != _BOMS[0]:  # UTF-16: decode enough to see the first character
                return "xml" if head.decode("utf-16", "ignore").lstrip()[:1] == "<" else "json"
            head = head[len(bom) :]
    first = head.lstrip()[:1]
    if first == b"<":
        return "xml"
    if first in (b"{", b"["):
        return "json"
    raise EpcisInvalid([EpcisError("/", 'the document is neither JSON ("{") nor XML ("<")')])


def _xsd_errors(read: XmlRead, schema_dir: Path) -> list[EpcisError]:
    query = read.root_name == "EPCISQueryDocument"
    out: list[EpcisError] = []
    for err in xml_schema_errors(read.tree, schema_dir, query=query):
        m = _EVENT_STEP.search(err.pointer)
        if m is None or err.line is None or not read.event_lines:
            out.append(err)
            continue
        index = max(bisect.bisect_right(read.event_lines, err.line) - 1, 0)
        tail = (m["tail"] or "").lstrip("/")
        out.append(EpcisError(f"event[{index}]" + (f"/{tail}" if tail else ""), err.message,
                              err.line))  # fmt: skip
    return out


def _dedupe(errors: list[EpcisError]) -> list[EpcisError]:
    return list(dict.fromkeys(errors))


def parse_document(
    raw: bytes, content_type: str | None = None, *, schema_dir: Path | None = None
) -> EpcisDocument:
    """Read and validate an EPCIS 2.0 document (JSON-LD or XML).

    ``schema_dir`` (a folder laid out like GS1's artefacts) adds JSON Schema or XSD validation
    to the built-in structural check. Raises EpcisInvalid with every error found; malformed JSON
    or XML raises with the parser's message at pointer ``/``.
    """
    if sniff(raw, content_type) == "json":
        read = read_json(raw)
        errors = json_schema_errors(read.raw, schema_dir) if schema_dir is not None else []
        errors += read.problems
        document = read.document
    else:
        xml = read_xml(raw)
        fatal = any(e.pointer == "/" for e in xml.problems)
        errors = _xsd_errors(xml, schema_dir) if schema_dir is not None and not fatal else []
        errors += xml.problems
        document = xml.document
    if errors:
        raise EpcisInvalid(_dedupe(errors))
    return document
