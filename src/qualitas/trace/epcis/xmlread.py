"""Reading EPCIS 2.0 XML into the same JSON-LD-shaped event dicts the JSON reader gives.

Parsing is safe: no entity substitution, no network, no huge trees, and a document type
declaration is refused unless it is a bare ``<!DOCTYPE name>`` (GS1's own examples carry
``<!DOCTYPE project>``): internal subsets and external DTD references are rejected.

Mapping: standard elements become their JSON-LD keys; attributes of ``sensorMetadata`` and
``sensorReport`` become keys; vocabulary values stay as written (URNs); numbers and booleans of
standard fields become JSON numbers and booleans. A user extension element ``{ns}local`` becomes
the key ``prefix:local`` (the prefix the document uses; ``ns0``... when it has none) and the event
gets ``{prefix: ns}`` in its ``@context``. Extension element values follow the usual XML-to-JSON
convention: repeated elements make a list, attributes are ``@prefix:name`` keys, text next to
children is ``#text``, ``xsi:type`` numeric and boolean types give JSON numbers and booleans,
``xsi:nil`` gives null. The XML-only wrappers ``extension`` and ``baseExtension`` (EPCIS 1.x
extension points, which held standard fields such as ``quantityList`` or ``eventID``) are
transparent: their children count as children of the enclosing element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from qualitas.trace.epcis.core import EpcisDocument
from qualitas.trace.epcis.errors import EpcisError, EpcisInvalid
from qualitas.trace.epcis.structure import Problem, check_events
from qualitas.trace.epcis.xmlevent import EventReader, localname

__all__ = ["XmlRead", "parse_xml", "read_xml", "safe_parser"]

EPCIS_ROOTS = ("EPCISDocument", "EPCISQueryDocument")
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(\[|>)")


@dataclass
class XmlRead:
    """An XML document as read: the tree, the document, and per-event line numbers."""

    tree: Any
    document: EpcisDocument
    lines: list[dict[str, int]] = field(default_factory=list)
    event_lines: list[int] = field(default_factory=list)
    problems: list[EpcisError] = field(default_factory=list)
    root_name: str = "EPCISDocument"


def safe_parser() -> etree.XMLParser:
    """An lxml parser that resolves no entities, loads no DTD and reaches no network."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )


def _check_doctype(raw: bytes, tree: Any) -> None:
    info = tree.docinfo
    dtd = info.internalDTD
    if dtd is None:
        return
    unsafe = (
        info.system_url is not None
        or info.public_id is not None
        or list(dtd.iterentities())
        or list(dtd.iterelements())
    )
    m = _DOCTYPE.search(raw.decode(info.encoding or "utf-8", "replace").encode())
    if unsafe or (m is not None and m.group(1) == b"["):
        msg = "document type declarations with an internal subset or external DTD are refused"
        raise EpcisInvalid([EpcisError("/", msg)])


def _parse(raw: bytes) -> Any:
    try:
        root = etree.fromstring(raw, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else None
        raise EpcisInvalid([EpcisError("/", f"malformed XML: {exc}", line)]) from exc
    tree = root.getroottree()
    _check_doctype(raw, tree)
    return tree


def _child(el: Any, name: str) -> Any:
    for c in el:
        if isinstance(c.tag, str) and localname(c.tag) == name:
            return c
    return None


def _event_elements(event_list: Any) -> list[Any]:
    out: list[Any] = []
    for el in event_list:
        if not isinstance(el.tag, str):
            continue
        if el.tag == "extension":  # EPCIS 1.x wrapper (TransformationEvent in 1.1/1.2)
            out.extend(c for c in el if isinstance(c.tag, str))
        else:
            out.append(el)
    return out


def _body(root: Any, header: dict[str, Any]) -> Any:
    body = _child(root, "EPCISBody")
    if body is None:
        return None
    if localname(root.tag) == "EPCISDocument":
        return body
    results = _child(body, "QueryResults")
    if results is None:
        return None
    for name in ("queryName", "subscriptionID"):
        el = _child(results, name)
        if el is not None:
            header[name] = (el.text or "").strip()
    return _child(results, "resultsBody")


def _header(root: Any) -> dict[str, Any]:
    header: dict[str, Any] = {k: v for k, v in root.attrib.items() if not k.startswith("{")}
    epcis_header = _child(root, "EPCISHeader")
    if epcis_header is not None:
        header["EPCISHeader"] = etree.tostring(epcis_header, encoding="unicode")
    return header


def _root_problems(root: Any) -> list[EpcisError]:
    name = localname(root.tag) if isinstance(root.tag, str) else ""
    if name not in EPCIS_ROOTS:
        msg = f"the root element must be EPCISDocument or EPCISQueryDocument, got {name!r}"
        return [EpcisError("/", msg, root.sourceline)]
    problems = []
    if name == "EPCISDocument":
        for attr in ("schemaVersion", "creationDate"):
            if attr not in root.attrib:
                problems.append(EpcisError(f"/@{attr}", "is required", root.sourceline))
    return problems


def xml_pointer(read: XmlRead, p: Problem) -> EpcisError:
    """The problem at ``event[i]/path`` with the line of the nearest element that was read."""
    if p.at is None:
        return EpcisError("/" + p.path.lstrip("/"), p.message)
    lines = read.lines[p.at]
    path = p.path
    while path and path not in lines:
        path = path.rpartition("/")[0]
    line = lines.get(path) if path else read.event_lines[p.at]
    pointer = f"event[{p.at}]" + (f"/{p.path}" if p.path else "")
    return EpcisError(pointer, p.message, line)


def read_xml(raw: bytes) -> XmlRead:
    """Read an XML document and check its structure (malformed XML raises EpcisInvalid)."""
    tree = _parse(raw)
    root = tree.getroot()
    problems = _root_problems(root)
    header = _header(root)
    context = {k: v for k, v in root.nsmap.items() if k}
    read = XmlRead(tree, EpcisDocument([], context, "xml", header), problems=problems)
    if problems and problems[0].pointer == "/":
        return read
    read.root_name = localname(root.tag)
    body = _body(root, header)
    event_list = _child(body, "EventList") if body is not None else None
    for el in _event_elements(event_list) if event_list is not None else []:
        event, lines = EventReader(el).read()
        read.document.events.append(event)
        read.lines.append(lines)
        read.event_lines.append(el.sourceline)
    read.problems += [xml_pointer(read, p) for p in check_events(read.document.events)]
    return read


def parse_xml(raw: bytes) -> EpcisDocument:
    """The events of an EPCIS 2.0 XML document; raises EpcisInvalid with every problem."""
    read = read_xml(raw)
    if read.problems:
        raise EpcisInvalid(read.problems)
    return read.document
