"""Validation against the GS1 schema files, when a directory holding them is configured.

The GS1 artefacts are not bundled: ``schema_dir`` is laid out like GS1's artefact folder, with
``EPCIS-JSON-Schema.json`` and ``XSD/EPCglobal-epcis-2_0.xsd`` (and, for XML query documents,
``XSD/EPCglobal-epcis-query-2_0.xsd``). Compiled validators are cached per directory.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, ValidationError
from jsonschema.exceptions import best_match
from lxml import etree

from qualitas.trace.epcis.errors import EpcisError

__all__ = ["json_schema_errors", "xml_schema_errors"]

JSON_SCHEMA = "EPCIS-JSON-Schema.json"
XSD_DOCUMENT = "XSD/EPCglobal-epcis-2_0.xsd"
XSD_QUERY = "XSD/EPCglobal-epcis-query-2_0.xsd"
_MAX_MESSAGE = 300
_REQUIRED = re.compile(r"^'(.+)' is a required property$")


@functools.lru_cache(maxsize=8)
def _json_validator(schema_dir: Path) -> Draft7Validator:
    path = schema_dir / JSON_SCHEMA
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft7Validator(schema)


@functools.lru_cache(maxsize=8)
def _xml_schema(xsd: Path) -> tuple[etree.XMLSchema, threading.Lock]:
    """The compiled XSD and the lock that serialises its use (its error log is shared)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(xsd), parser)), threading.Lock()


def _short(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def _pointer(path: Any) -> str:
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts)


def _explain(err: ValidationError) -> EpcisError:
    """The error at the deepest place that explains it (alternatives of anyOf/oneOf included)."""
    leaf = err
    while leaf.context:
        leaf = best_match(leaf.context)
    use = leaf if len(leaf.absolute_path) > len(err.absolute_path) else err
    path = list(use.absolute_path)
    message = use.message
    if use.validator == "required":
        m = _REQUIRED.match(message)
        path.append(m[1] if m else "")
        message = "is required"
    elif use.validator == "not":
        message = "is not allowed here"
    elif len(message) > _MAX_MESSAGE:
        message = f"does not satisfy the schema's {use.validator!r} rule"
    return EpcisError(_pointer(path), _short(f"JSON Schema: {message}"))


def json_schema_errors(doc: Any, schema_dir: Path) -> list[EpcisError]:
    """Every error of the JSON Schema (Draft 7); a missing property points at its own name."""
    errors = [_explain(err) for err in _json_validator(Path(schema_dir)).iter_errors(doc)]
    return sorted(dict.fromkeys(errors), key=lambda e: e.pointer)


def xml_schema_errors(tree: Any, schema_dir: Path, *, query: bool = False) -> list[EpcisError]:
    """Every error the XSD reports, with its line; the pointer is the element's XPath."""
    schema, lock = _xml_schema(Path(schema_dir) / (XSD_QUERY if query else XSD_DOCUMENT))
    with lock:
        if schema.validate(tree):
            return []
        entries = list(schema.error_log)
    return [
        EpcisError(entry.path or "/", _short(f"XSD: {entry.message}"), entry.line or None)
        for entry in entries
    ]
