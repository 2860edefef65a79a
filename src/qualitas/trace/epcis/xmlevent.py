"""One EPCIS XML event element to its JSON-LD-shaped dict (see ``xmlread`` for the mapping)."""

from __future__ import annotations

import math
import re
from typing import Any

from qualitas.trace.epcis.model import (
    EPC_LISTS,
    QUANTITY_LISTS,
    SENSOR_NUMBERS,
    SOURCE_DEST,
    WRAPPERS,
)

__all__ = ["EventReader", "localname", "to_number"]

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XSD = "http://www.w3.org/2001/XMLSchema"
_INT_TYPES = frozenset({
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte",
})  # fmt: skip
_FLOAT_TYPES = frozenset({"decimal", "double", "float"})
_INT = re.compile(r"[+-]?\d+")
_SCALARS = frozenset({"eventTime", "recordTime", "eventTimeZoneOffset", "eventID", "action",
                      "bizStep", "disposition", "parentID", "transformationID"})  # fmt: skip


def localname(tag: str) -> str:
    return tag.rpartition("}")[2]


def _ns(tag: str) -> str | None:
    return tag[1:].partition("}")[0] if tag.startswith("{") else None


def _text(el: Any) -> str:
    return (el.text or "").strip()


def _elements(el: Any) -> list[Any]:
    return [c for c in el if isinstance(c.tag, str)]


def _children(el: Any) -> list[Any]:
    """Child elements, with the children of ``extension``/``baseExtension`` wrappers in place."""
    out: list[Any] = []
    for c in _elements(el):
        if c.tag in WRAPPERS:
            out.extend(_children(c))
        else:
            out.append(c)
    return out


def to_number(text: str) -> int | float | str:
    """A JSON number for a numeric string (int when integral in form), else the string.

    ``NaN`` and infinities, valid ``xsd:double`` values, have no JSON form and stay strings.
    """
    value = text.strip()
    if _INT.fullmatch(value):
        return int(value)
    try:
        number = float(value)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


def _boolean(text: str) -> bool | str:
    value = text.strip()
    return {"true": True, "1": True, "false": False, "0": False}.get(value, text)


class EventReader:
    """Converts one event element; collects the prefixes and source lines it meets."""

    def __init__(self, element: Any) -> None:
        self.el = element
        self.prefixes: dict[str, str] = {}  # prefix -> namespace used by this event
        self.lines: dict[str, int] = {}

    def read(self) -> tuple[dict[str, Any], dict[str, int]]:
        event: dict[str, Any] = {"type": localname(self.el.tag)}
        for child in _children(self.el):
            key = self.key(child)
            self.lines.setdefault(key, child.sourceline)
            _add(event, key, self.field(key, child))
        if self.prefixes:
            event = {"@context": dict(self.prefixes), **event}
        return event, self.lines

    # -- names -------------------------------------------------------------------------------

    def _prefix(self, ns: str, preferred: str | None) -> str:
        for p, bound in self.prefixes.items():
            if bound == ns:
                return p
        prefix = preferred if preferred and preferred not in self.prefixes else None
        n = 0
        while prefix is None or prefix in self.prefixes:
            prefix = f"ns{n}"
            n += 1
        self.prefixes[prefix] = ns
        return prefix

    def key(self, el: Any) -> str:
        ns = _ns(el.tag)
        if ns is None:
            return localname(el.tag)
        return f"{self._prefix(ns, el.prefix)}:{localname(el.tag)}"

    def _attr_key(self, el: Any, name: str) -> str:
        ns = _ns(name)
        if ns is None:
            return localname(name)
        preferred = next((p for p, n in el.nsmap.items() if n == ns and p), None)
        return f"{self._prefix(ns, preferred)}:{localname(name)}"

    # -- standard fields ---------------------------------------------------------------------

    def field(self, key: str, el: Any) -> Any:
        if ":" in key:
            return self.extension(el)
        if key in _SCALARS or key == "certificationInfo":
            return _text(el)
        if key in EPC_LISTS:
            return self._items(key, el, _text)
        if key in QUANTITY_LISTS:
            return self._items(key, el, self._quantity)
        if key in SOURCE_DEST or key == "bizTransactionList":
            item = SOURCE_DEST.get(key, "bizTransaction")
            return self._items(key, el, lambda c: self._typed(c, item))
        return self._structured(key, el)

    def _structured(self, key: str, el: Any) -> Any:
        if key in ("readPoint", "bizLocation"):
            return self._container(el, {"id"})
        if key == "persistentDisposition":
            return self._persistent(el)
        if key == "sensorElementList":
            return self._items(key, el, self._sensor_element)
        if key == "errorDeclaration":
            return self._error_declaration(el)
        if key == "ilmd":
            return self._container(el, set())
        return self.extension(el)

    def _items(self, key: str, el: Any, conv: Any) -> list[Any]:
        out = []
        for i, c in enumerate(_elements(el)):
            self.lines.setdefault(f"{key}/{i}", c.sourceline)
            out.append(conv(c))
        return out

    def _quantity(self, el: Any) -> dict[str, Any]:
        q: dict[str, Any] = {}
        for c in _elements(el):
            name = localname(c.tag)
            if name == "quantity":
                if c.get(f"{{{XSI}}}nil") not in ("true", "1"):
                    q["quantity"] = to_number(_text(c))
            elif name in ("epcClass", "uom"):
                q[name] = _text(c)
        return q

    def _typed(self, el: Any, item: str) -> dict[str, Any]:
        entry: dict[str, Any] = {}
        if el.get("type") is not None:
            entry["type"] = el.get("type").strip()
        entry[item] = _text(el)
        return entry

    def _container(self, el: Any, scalars: set[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for c in _children(el):
            key = self.key(c)
            _add(out, key, _text(c) if key in scalars else self.extension(c))
        return out

    def _persistent(self, el: Any) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for c in _elements(el):
            out.setdefault(localname(c.tag), []).append(_text(c))
        return out

    def _error_declaration(self, el: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for c in _children(el):
            key = self.key(c)
            if key in ("declarationTime", "reason"):
                out[key] = _text(c)
            elif key == "correctiveEventIDs":
                out[key] = [_text(x) for x in _elements(c)]
            else:
                _add(out, key, self.extension(c))
        return out

    def _attributes(self, el: Any, numbers: frozenset[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in el.attrib.items():
            key = self._attr_key(el, name)
            if key in numbers:
                out[key] = to_number(value)
            elif key == "booleanValue":
                out[key] = _boolean(value)
            else:
                out[key] = value.strip()
        return out

    def _sensor_element(self, el: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for c in _children(el):
            key = self.key(c)
            if key == "sensorMetadata":
                out[key] = self._attributes(c, frozenset())
            elif key == "sensorReport":
                out.setdefault(key, []).append(self._attributes(c, SENSOR_NUMBERS))
            else:
                _add(out, key, self.extension(c))
        return out

    # -- user extensions ---------------------------------------------------------------------

    def _xsi_type(self, el: Any) -> str | None:
        value = el.get(f"{{{XSI}}}type")
        if not value:
            return None
        prefix, _, local = value.strip().rpartition(":")
        return local if el.nsmap.get(prefix or None) == XSD else None

    def _scalar(self, el: Any) -> Any:
        if el.get(f"{{{XSI}}}nil") in ("true", "1"):
            return None
        text, typ = _text(el), self._xsi_type(el)
        if typ in _INT_TYPES and _INT.fullmatch(text):
            return int(text)
        if typ in _FLOAT_TYPES:
            number = to_number(text)
            return float(number) if not isinstance(number, str) else text
        if typ == "boolean":
            return _boolean(text)
        return text

    def extension(self, el: Any) -> Any:
        """The JSON value of a user extension element."""
        attrs = {k: v for k, v in el.attrib.items() if _ns(k) != XSI}
        children = _elements(el)
        if not attrs and not children:
            return self._scalar(el)
        out: dict[str, Any] = {f"@{self._attr_key(el, k)}": v for k, v in attrs.items()}
        for c in children:
            _add(out, self.key(c), self.extension(c))
        if _text(el):
            out["#text"] = _text(el)
        return out


def _add(target: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key``; a repeated key collects its values in a list."""
    if key not in target:
        target[key] = value
    elif isinstance(target[key], list):
        target[key].append(value)
    else:
        target[key] = [target[key], value]
