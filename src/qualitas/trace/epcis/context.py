"""JSON-LD contexts of extension fields: which namespace a ``prefix:name`` key belongs to.

Events carry the prefixes their extension keys use in their own ``@context`` (a JSON-LD event may
have one), so that a stored event stays meaningful and hashes the same without its document.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qualitas.trace.epcis.model import STANDARD_PREFIXES

__all__ = [
    "attach_context",
    "canonical_namespace",
    "definitions",
    "event_prefixes",
    "prefixes_of",
    "split_key",
]

Context = list[Any] | dict[str, Any] | str | None


def _items(context: Context) -> Iterator[dict[str, Any]]:
    if isinstance(context, dict):
        yield context
    elif isinstance(context, list):
        for item in context:
            if isinstance(item, dict):
                yield item


def definitions(context: Context) -> dict[str, Any]:
    """All term and prefix definitions of a context (later entries override earlier ones)."""
    found: dict[str, Any] = {}
    for item in _items(context):
        found.update((k, v) for k, v in item.items() if not k.startswith("@"))
    return found


def prefixes_of(context: Context) -> dict[str, str]:
    """``prefix -> namespace IRI`` of the prefix definitions in a context."""
    out: dict[str, str] = {}
    for term, value in definitions(context).items():
        if ":" in term:
            continue
        iri = value.get("@id") if isinstance(value, dict) else value
        if isinstance(iri, str) and ":" in iri:
            out[term] = iri
    return out


def split_key(key: str) -> tuple[str, str] | None:
    """``(prefix, local)`` of a compact ``prefix:local`` key, None for other keys."""
    if key.startswith("@") or ":" not in key:
        return None
    prefix, local = key.split(":", 1)
    if local.startswith("//"):
        return None  # an absolute IRI, not a compact one
    return prefix, local


def canonical_namespace(iri: str) -> str:
    """A namespace IRI without one trailing ``/``, ``#`` or ``:``.

    XML namespaces are usually written without the separator that JSON-LD prefixes end with
    (``http://ns.example.com/epcis`` vs ``http://ns.example.com/epcis/``); both name one namespace.
    """
    return iri[:-1] if iri[-1:] in ("/", "#", ":") else iri


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k != "@context":
                yield k.lstrip("@") if k.startswith("@") and ":" in k else k
                yield from _keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from _keys(v)


def attach_context(event: dict[str, Any], context: Context) -> dict[str, Any]:
    """The event with the definitions its keys use from the document ``context`` attached.

    Only prefixes (and exact term definitions) that the event's keys use are copied; an event's
    own ``@context`` comes after them, so its definitions win. Events using none are unchanged.
    """
    defs = definitions(context)
    if not defs:
        return event
    used: dict[str, Any] = {}
    for key in _keys(event):
        parts = split_key(key)
        if parts and parts[0] in defs and ":" not in parts[0]:
            used[parts[0]] = defs[parts[0]]
        if key in defs and ":" in key:
            used[key] = defs[key]
    if not used:
        return event
    own = event.get("@context")
    if own is None:
        ctx: Any = used
    else:
        ctx = [used, *(own if isinstance(own, list) else [own])]
    return {"@context": ctx, **{k: v for k, v in event.items() if k != "@context"}}


def event_prefixes(event: dict[str, Any]) -> dict[str, str]:
    """``prefix -> namespace`` in force for an event: standard prefixes, then its own context."""
    return {**STANDARD_PREFIXES, **prefixes_of(event.get("@context"))}
