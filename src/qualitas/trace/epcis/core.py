"""The parsed document: its events as JSON-LD-shaped dicts, its context and header."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["EpcisDocument"]


@dataclass
class EpcisDocument:
    """An EPCIS 2.0 document read from JSON-LD or XML.

    ``events`` are dicts keyed exactly like EPCIS 2.0 JSON-LD events, whichever syntax the
    document used; an event whose extension keys use prefixes of the document carries them in its
    own ``@context``. ``context`` is the document's ``@context`` (JSON) or its namespace
    declarations as a prefix map (XML). ``header`` holds the document-level fields
    (``schemaVersion``, ``creationDate``, sender/receiver, ``queryName`` of query results, ...).
    """

    events: list[dict[str, Any]]
    context: list[Any] | dict[str, Any] | None
    format: Literal["json", "xml"]
    header: dict[str, Any] = field(default_factory=dict)
