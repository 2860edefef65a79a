"""GS1 Digital Link URIs: parsing any host's form and writing the constrained canonical form.

The canonical form used as the store key (and in the CBV 2.0 event hash) is a Digital Link URI on
``https://id.gs1.org/`` with numeric application identifiers, the primary key in its full length
(GTIN padded to 14 digits), only the most fine-grained key qualifiers (serial over lot; CPV
dropped), values percent-encoded except for RFC 3986 unreserved characters, and no query string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, unquote, urlsplit

__all__ = ["DL_BASE", "build", "check_digit", "encode", "parse_digital_link", "valid_check_digit"]

DL_BASE = "https://id.gs1.org/"

# short names of GS1 Digital Link 1.x (still found in the wild) -> numeric AI
SHORT_NAMES = {
    "sscc": "00", "gtin": "01", "cpv": "22", "lot": "10", "ser": "21", "tpx": "235",
    "gdti": "253", "gcn": "255", "ginc": "401", "gsin": "402", "gln": "414", "glnx": "254",
    "party": "417", "grai": "8003", "giai": "8004", "itip": "8006", "cpid": "8010",
    "cpsn": "8011", "gsrnp": "8017", "gsrn": "8018",
}  # fmt: skip
# primary key AI -> qualifier AIs it may carry, in canonical path order
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "00": (), "01": ("22", "10", "21", "235"), "253": (), "255": (), "401": (), "402": (),
    "414": ("254", "7040"), "417": ("7040",), "8003": (), "8004": (), "8006": ("22", "10", "21"),
    "8010": ("8011",), "8017": (), "8018": (),
}  # fmt: skip
# qualifier combinations kept in the constrained form (the most fine-grained one wins)
KEEP = {"01": ("21", "10", "235"), "414": ("254",), "8006": ("21", "10"), "8010": ("8011",)}

_DIGITS = re.compile(r"\d+")


def check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit of ``digits`` (weights 3, 1, 3, ... from the right)."""
    rev = digits[::-1]
    total = 3 * sum(map(int, rev[0::2])) + sum(map(int, rev[1::2]))
    return str((10 - total % 10) % 10)


def valid_check_digit(digits: str) -> bool:
    """True when the last digit of ``digits`` is the GS1 check digit of the others."""
    return bool(_DIGITS.fullmatch(digits)) and check_digit(digits[:-1]) == digits[-1]


def encode(value: str) -> str:
    """Percent-encode an AI value for a Digital Link path (RFC 3986 unreserved kept)."""
    return quote(value, safe="")


def build(pairs: list[tuple[str, str]]) -> str:
    """The canonical URI of (AI, raw value) pairs, primary key first."""
    return DL_BASE + "/".join(f"{ai}/{encode(v)}" for ai, v in pairs)


def _fixed_numeric(length: int) -> Callable[[str], str | None]:
    def check(v: str) -> str | None:
        return v if len(v) == length and valid_check_digit(v) else None

    return check


def _gtin(v: str) -> str | None:
    if len(v) in (8, 12, 13, 14) and valid_check_digit(v):
        return v.zfill(14)
    return None


def _key_with_serial(length: int, max_serial: int) -> Callable[[str], str | None]:
    def check(v: str) -> str | None:
        head = v[:length]
        if len(head) == length and valid_check_digit(head) and len(v) - length <= max_serial:
            return v
        return None

    return check


def _grai(v: str) -> str | None:
    head = v[:14]
    ok = len(head) == 14 and head[0] == "0" and valid_check_digit(head) and len(v) <= 30
    return v if ok else None


def _text(max_len: int) -> Callable[[str], str | None]:
    return lambda v: v if 0 < len(v) <= max_len else None


def _itip(v: str) -> str | None:
    return v if len(v) == 18 and _DIGITS.fullmatch(v) and valid_check_digit(v[:14]) else None


_PRIMARY_CHECK: dict[str, Callable[[str], str | None]] = {
    "00": _fixed_numeric(18), "01": _gtin, "253": _key_with_serial(13, 17),
    "255": _key_with_serial(13, 12), "401": _text(30), "402": _fixed_numeric(17),
    "414": _fixed_numeric(13), "417": _fixed_numeric(13), "8003": _grai, "8004": _text(30),
    "8006": _itip, "8010": _text(30), "8017": _fixed_numeric(18), "8018": _fixed_numeric(18),
}  # fmt: skip


def _ai(segment: str) -> str:
    return SHORT_NAMES.get(segment.lower(), segment)


def _pairs_from(segments: list[str], start: int) -> list[tuple[str, str]] | None:
    """(AI, value) pairs when ``segments[start:]`` is a primary key and its qualifiers."""
    rest = segments[start:]
    if len(rest) < 2 or len(rest) % 2:
        return None
    primary = _ai(rest[0])
    if primary not in QUALIFIERS:
        return None
    pairs = [(primary, unquote(rest[1]))]
    allowed = QUALIFIERS[primary]
    for i in range(2, len(rest), 2):
        ai = _ai(rest[i])
        if ai not in allowed or any(ai == a for a, _ in pairs):
            return None
        pairs.append((ai, unquote(rest[i + 1])))
    return pairs


def _constrain(pairs: list[tuple[str, str]]) -> list[tuple[str, str]] | None:
    primary, value = pairs[0]
    checked = _PRIMARY_CHECK[primary](value)
    if checked is None:
        return None
    qualifiers = dict(pairs[1:])
    for ai in KEEP.get(primary, ()):
        if qualifiers.get(ai):
            return [(primary, checked), (ai, qualifiers[ai])]
    return [(primary, checked)]


def parse_digital_link(uri: str) -> list[tuple[str, str]] | None:
    """The constrained (AI, value) pairs of a GS1 Digital Link URI on any host, else None.

    The primary key may follow a custom path prefix; the query string and fragment are ignored;
    check digits are verified (a URI whose key fails its check digit is not a Digital Link).
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    segments = [s for s in parts.path.split("/") if s]
    for start in range(len(segments) - 1):
        pairs = _pairs_from(segments, start)
        if pairs is not None:
            return _constrain(pairs)
    return None
