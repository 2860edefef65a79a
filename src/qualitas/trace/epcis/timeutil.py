"""EPCIS date-times (``xsd:dateTimeStamp``: a date-time that always carries its offset)."""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "OFFSET",
    "canonical_utc",
    "hash_timestamp",
    "is_datetime",
    "now_utc",
    "parse_datetime",
]

_DATETIME = re.compile(
    r"(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})"
)
OFFSET = re.compile(r"[+-](\d{2}):(\d{2})")


def _offset(text: str) -> dt.timezone | None:
    if text == "Z":
        return dt.UTC
    m = OFFSET.fullmatch(text)
    if not m or int(m[1]) > 14 or int(m[2]) > 59:
        return None
    delta = dt.timedelta(hours=int(m[1]), minutes=int(m[2]))
    return dt.timezone(-delta if text[0] == "-" else delta)


def _parts(text: str) -> tuple[dt.datetime, str] | None:
    """The whole seconds in UTC and the decimal fraction digits, or None if not a date-time."""
    m = _DATETIME.fullmatch(text.strip())
    if not m:
        return None
    tz = _offset(m[8])
    if tz is None:
        return None
    try:
        y, mo, d, h, mi, s = (int(m[i]) for i in range(1, 7))
        whole = dt.datetime(y, mo, d, h, mi, s, tzinfo=tz).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None
    return whole, m[7] or ""


def now_utc() -> str:
    """The current time as an EPCIS date-time (UTC, milliseconds)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _iso(t: dt.datetime) -> str:
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def is_datetime(value: object) -> bool:
    """True for a string that is a date-time with a ``Z`` or ``+hh:mm`` offset."""
    return isinstance(value, str) and _parts(value) is not None


def parse_datetime(text: str) -> dt.datetime:
    """The aware UTC datetime of an EPCIS date-time (fractions beyond microseconds truncated).

    Raises ValueError when ``text`` is not a date-time with an offset.
    """
    parts = _parts(text)
    if parts is None:
        raise ValueError(f"not an ISO 8601 date-time with offset: {text!r}")
    whole, frac = parts
    return whole + dt.timedelta(microseconds=int((frac + "000000")[:6]))


def canonical_utc(text: str) -> str | None:
    """The same instant in UTC with ``Z``, fraction digits kept (trailing zeros dropped)."""
    parts = _parts(text)
    if parts is None:
        return None
    whole, frac = parts
    frac = frac.rstrip("0")
    return _iso(whole) + (f".{frac}" if frac else "") + "Z"


def hash_timestamp(text: str) -> str | None:
    """The CBV 2.0 pre-hash form: UTC, ``Z``, exactly three fraction digits.

    The third decimal is rounded up when the fourth is 5-9; the carry propagates into seconds,
    minutes, days (``23:59:59.9995Z`` becomes the next day's ``00:00:00.000Z``).
    """
    parts = _parts(text)
    if parts is None:
        return None
    whole, frac = parts
    digits = (frac + "0000")[:4]
    millis = int(digits[:3]) + (1 if digits[3] >= "5" else 0)
    try:
        t = whole + dt.timedelta(milliseconds=millis)
    except OverflowError:
        return None
    return f"{_iso(t)}.{t.microsecond // 1000:03d}Z"
