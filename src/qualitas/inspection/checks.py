"""Argument checks shared by the sampling engines (pure): errors start with the parameter."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

_E = TypeVar("_E", bound=StrEnum)


def _whole(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name}: must be a whole number of at least {minimum}; got {value!r}")
    return value


def _enum(name: str, kind: type[_E], value: object) -> _E:
    text = value.strip().upper() if isinstance(value, str) else None
    for member in kind:
        if member is value or member.value.upper() == text:
            return member
    raise ValueError(f"{name}: must be one of {', '.join(m.value for m in kind)}; got {value!r}")
