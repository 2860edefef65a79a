"""One canonical key per identifier: EPC URNs and Digital Link URIs of any host agree.

The key is the constrained canonical GS1 Digital Link URI on ``https://id.gs1.org/`` (see
``digitallink``). EPC pure-identity URNs (``urn:epc:id:...``), class URNs (``urn:epc:class:lgtin``)
and class-level patterns (``urn:epc:idpat:sgtin:CP.ITEM.*``) are converted following the GS1 EPC
Tag Data Standard 2.0: the GTIN indicator digit moves to the front and check digits are computed;
serial numbers are percent-decoded from the URN and re-encoded for the Digital Link path. EPC
schemes without a GS1 key (``gid``, ``usdod``, ``adi``, ``bic``, ``imovn``) keep their URN; any
other URI (a company's own URL, ``urn:uuid:...``) is returned as given, trimmed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from urllib.parse import unquote

from qualitas.trace.epcis.digitallink import DL_BASE, build, check_digit, parse_digital_link
from qualitas.trace.epcis.vocab import cbv_uri, normalise_vocab

__all__ = [
    "cbv_uri",
    "epc_to_pairs",
    "is_gs1_key",
    "normalise_class",
    "normalise_id",
    "normalise_vocab",
    "pattern_prefix",
]

_NUM = re.compile(r"\d+")
_NO_GS1_KEY = frozenset({"gid", "usdod", "adi", "bic", "imovn"})
Pairs = list[tuple[str, str]]


def _split(scheme: str, body: str, parts: int) -> list[str]:
    fields = body.split(".", parts - 1)
    if len(fields) != parts or any(f == "" for f in fields[:-1]):
        raise ValueError(f"urn:epc:...:{scheme} needs {parts} dot-separated parts, got {body!r}")
    return fields


def _digits(scheme: str, cp: str, ref: str, total: int) -> str:
    """Company prefix + reference: all digits, 6-12 digit prefix, ``total`` digits together."""
    if not (_NUM.fullmatch(cp) and _NUM.fullmatch(ref)):
        raise ValueError(f"{scheme}: company prefix and reference must be digits ({cp}.{ref})")
    if not 6 <= len(cp) <= 12 or len(cp) + len(ref) != total:
        raise ValueError(
            f"{scheme}: company prefix ({len(cp)} digits) and reference ({len(ref)} digits) "
            f"must have {total} digits together"
        )
    return cp + ref


def _serial(scheme: str, raw: str, *, allow_empty: bool = False) -> str:
    value = unquote(raw)
    if not value and not allow_empty:
        raise ValueError(f"{scheme}: the serial part is empty")
    return value


def _gtin14(cp: str, item: str, scheme: str = "sgtin") -> str:
    _digits(scheme, cp, item, 13)
    gtin13 = item[0] + cp + item[1:]
    return gtin13 + check_digit(gtin13)


def _sgtin(f: list[str]) -> Pairs:
    return [("01", _gtin14(f[0], f[1])), ("21", _serial("sgtin", f[2]))]


def _lgtin(f: list[str]) -> Pairs:
    return [("01", _gtin14(f[0], f[1], "lgtin")), ("10", _serial("lgtin", f[2]))]


def _sscc(f: list[str]) -> Pairs:
    _digits("sscc", f[0], f[1], 17)
    body = f[1][0] + f[0] + f[1][1:]
    return [("00", body + check_digit(body))]


def _sgln(f: list[str]) -> Pairs:
    gln = _digits("sgln", f[0], f[1], 12)
    ext = _serial("sgln", f[2])
    pairs = [("414", gln + check_digit(gln))]
    return [*pairs, ("254", ext)] if ext != "0" else pairs


def _pgln(f: list[str]) -> Pairs:
    gln = _digits("pgln", f[0], f[1], 12)
    return [("417", gln + check_digit(gln))]


def _grai(f: list[str]) -> Pairs:
    body = _digits("grai", f[0], f[1], 12)
    return [("8003", "0" + body + check_digit(body) + _serial("grai", f[2], allow_empty=True))]


def _giai(f: list[str]) -> Pairs:
    if not _NUM.fullmatch(f[0]) or not 6 <= len(f[0]) <= 12:
        raise ValueError(f"giai: company prefix must be 6-12 digits ({f[0]})")
    return [("8004", f[0] + _serial("giai", f[1]))]


def _gsrn(ai: str) -> Callable[[list[str]], Pairs]:
    def conv(f: list[str]) -> Pairs:
        body = _digits("gsrn", f[0], f[1], 17)
        return [(ai, body + check_digit(body))]

    return conv


def _gdti(f: list[str]) -> Pairs:
    body = _digits("gdti", f[0], f[1], 12)
    return [("253", body + check_digit(body) + _serial("gdti", f[2], allow_empty=True))]


def _sgcn(f: list[str]) -> Pairs:
    body = _digits("sgcn", f[0], f[1], 12)
    if f[2] and not _NUM.fullmatch(f[2]):
        raise ValueError(f"sgcn: the serial component must be digits ({f[2]})")
    return [("255", body + check_digit(body) + f[2])]


def _cpi(f: list[str]) -> Pairs:
    if not _NUM.fullmatch(f[0]):
        raise ValueError(f"cpi: company prefix must be digits ({f[0]})")
    if not _NUM.fullmatch(f[2]):
        raise ValueError(f"cpi: the serial component must be digits ({f[2]})")
    return [("8010", f[0] + _serial("cpi", f[1])), ("8011", f[2])]


def _ginc(f: list[str]) -> Pairs:
    if not _NUM.fullmatch(f[0]):
        raise ValueError(f"ginc: company prefix must be digits ({f[0]})")
    return [("401", f[0] + _serial("ginc", f[1]))]


def _gsin(f: list[str]) -> Pairs:
    body = _digits("gsin", f[0], f[1], 16)
    return [("402", body + check_digit(body))]


def _itip(f: list[str]) -> Pairs:
    if not (_NUM.fullmatch(f[2]) and _NUM.fullmatch(f[3]) and len(f[2]) == len(f[3]) == 2):
        raise ValueError(f"itip: piece and total must be two digits ({f[2]}.{f[3]})")
    return [("8006", _gtin14(f[0], f[1], "itip") + f[2] + f[3]), ("21", _serial("itip", f[4]))]


def _upui(f: list[str]) -> Pairs:
    return [("01", _gtin14(f[0], f[1], "upui")), ("235", _serial("upui", f[2]))]


# scheme -> (number of dot-separated parts, converter)
_ID_SCHEMES: dict[str, tuple[int, Callable[[list[str]], Pairs]]] = {
    "sgtin": (3, _sgtin), "sscc": (2, _sscc), "sgln": (3, _sgln), "pgln": (2, _pgln),
    "grai": (3, _grai), "giai": (2, _giai), "gsrn": (2, _gsrn("8018")),
    "gsrnp": (2, _gsrn("8017")), "gdti": (3, _gdti), "sgcn": (3, _sgcn), "cpi": (3, _cpi),
    "ginc": (2, _ginc), "gsin": (2, _gsin), "itip": (5, _itip), "upui": (3, _upui),
}  # fmt: skip
_CLASS_SCHEMES: dict[str, tuple[int, Callable[[list[str]], Pairs]]] = {"lgtin": (3, _lgtin)}
# idpat scheme -> (parts, converter of the fixed parts, key qualifier that completes an instance)
_PATTERN_SCHEMES: dict[str, tuple[int, Callable[[list[str]], Pairs], str]] = {
    "sgtin": (3, lambda f: [("01", _gtin14(f[0], f[1]))], "/21/"),
    "grai": (3, lambda f: _grai([f[0], f[1], ""]), ""),
    "gdti": (3, lambda f: _gdti([f[0], f[1], ""]), ""),
    "sgcn": (3, lambda f: _sgcn([f[0], f[1], ""]), ""),
    "sgln": (3, lambda f: _sgln([f[0], f[1], "0"]), ""),
    "cpi": (3, lambda f: [("8010", f[0] + _serial("cpi", f[1]))], "/8011/"),
}


def _urn_parts(value: str) -> tuple[str, str, str]:
    """``(kind, scheme, body)`` of ``urn:epc:{kind}:{scheme}:{body}`` (URN prefix case-folded)."""
    head = value.split(":", 4)
    if len(head) != 5 or head[0].lower() != "urn" or head[1].lower() != "epc":
        raise ValueError(f"not an EPC URN: {value!r}")
    return head[2].lower(), head[3].lower(), head[4]


def _pattern_pairs(scheme: str, body: str) -> tuple[Pairs, str]:
    if scheme not in _PATTERN_SCHEMES:
        raise ValueError(f"urn:epc:idpat:{scheme} patterns are not supported")
    parts, conv, tail = _PATTERN_SCHEMES[scheme]
    fields = _split(scheme, body, parts)
    if fields[-1] != "*" or "*" in fields[:-1]:
        raise ValueError(
            f"only patterns with a fixed key and '*' as the last part are supported: {body!r}"
        )
    return conv(fields), tail


def epc_to_pairs(value: str) -> Pairs | None:
    """Digital Link (AI, value) pairs of an EPC URN; None for EPC schemes without a GS1 key.

    Raises ValueError for an unknown scheme or a malformed URN.
    """
    kind, scheme, body = _urn_parts(value)
    if kind == "id" and scheme in _NO_GS1_KEY:
        return None
    table = {"id": _ID_SCHEMES, "class": _CLASS_SCHEMES}.get(kind)
    if table is not None:
        if scheme not in table:
            raise ValueError(f"unknown EPC scheme urn:epc:{kind}:{scheme}")
        parts, conv = table[scheme]
        return conv(_split(scheme, body, parts))
    if kind == "idpat":
        return _pattern_pairs(scheme, body)[0]
    raise ValueError(f"unknown EPC URN kind urn:epc:{kind}")


@functools.lru_cache(maxsize=1 << 18)
def normalise_id(value: str) -> str:
    """The canonical key of an object, class, location, party or document identifier.

    EPC URNs and Digital Link URIs (any host, any qualifier order, short names, query strings)
    give the constrained canonical Digital Link URI; other URIs come back trimmed but otherwise
    unchanged. Raises ValueError for an empty value and for unknown or malformed EPC URNs.
    """
    text = value.strip()
    if not text:
        raise ValueError("an identifier is required")
    if text[:8].lower() == "urn:epc:":
        pairs = epc_to_pairs(text)
        return text if pairs is None else build(pairs)
    pairs = parse_digital_link(text)
    return build(pairs) if pairs is not None else text


normalise_class = normalise_id
"""Class-level identifiers (LGTIN, GTIN, ``idpat`` class patterns) share ``normalise_id``."""


def pattern_prefix(value: str) -> str | None:
    """The key prefix that every instance of an ``urn:epc:idpat`` pattern starts with, else None.

    ``urn:epc:idpat:sgtin:0614141.107346.*`` gives ``https://id.gs1.org/01/00614141073464/21/``
    (match it with ``LIKE prefix || '%'``). Values that are not patterns give None; patterns that
    no prefix can express raise ValueError.
    """
    text = value.strip()
    if text[:14].lower() != "urn:epc:idpat:":
        return None
    _, scheme, body = _urn_parts(text)
    pairs, tail = _pattern_pairs(scheme, body)
    return build(pairs) + tail


def is_gs1_key(value: str) -> bool:
    """True when ``value`` normalises to a Digital Link key."""
    try:
        return normalise_id(value).startswith(DL_BASE)
    except ValueError:
        return False
