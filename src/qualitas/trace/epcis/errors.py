"""Validation errors of EPCIS documents: every problem found, each with the place it is at."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EpcisError", "EpcisInvalid"]


@dataclass(frozen=True)
class EpcisError:
    """One problem in a document.

    ``pointer`` names the place: a JSON pointer (``/epcisBody/eventList/3/eventTime``) for JSON
    documents, ``event[3]/eventTime`` (events counted from 0) for XML documents, whose ``line``
    is set when known; ``/`` for the document as a whole.
    """

    pointer: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.pointer} (line {self.line})" if self.line else self.pointer
        return f"{where}: {self.message}"


class EpcisInvalid(Exception):
    """A document that is not valid EPCIS 2.0; ``errors`` lists every problem found."""

    def __init__(self, errors: list[EpcisError]) -> None:
        self.errors = list(errors)
        first = str(self.errors[0]) if self.errors else "invalid EPCIS document"
        more = f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
        super().__init__(first + more)
