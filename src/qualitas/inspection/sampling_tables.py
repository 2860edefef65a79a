"""ISO 2859-1:1999 tables as data: Table 1 (sample size code letters) and the single sampling
master tables 2-A (normal), 2-B (tightened) and 2-C (reduced), with the arrow rule.

Edition: ISO 2859-1:1999 (second edition; identical national adoptions: GB/T 2828.1-2012,
IS 2500-1:2000). In this edition Table 2-C has no gap between Ac and Re (Re = Ac + 1
everywhere); ANSI/ASQ Z1.4 and MIL-STD-105E keep the older reduced table with gaps (0/2, 1/3,
1/4, ...), so reduced plans differ from those documents. Tables 1, 2-A and 2-B agree with
MIL-STD-105E cell for cell except Table 2-B, code letter A, AQL 10. docs/sampling.md lists the
transcriptions every cell was checked against and where they disagree.

Each master-table row is written as printed, one token per AQL column: ``Ac/Re`` for a plan,
``v`` for the arrow pointing down (use the first plan below it, with that row's sample size),
``^`` for the arrow pointing up, ``-`` for a cell left blank (Table 2-B code letter S, which
only carries the plan under AQL 0.025).
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Final, NamedTuple

__all__ = [
    "AQL_LABELS",
    "AQL_VALUES",
    "CODE_LETTERS",
    "InspectionLevel",
    "Severity",
    "TablePlan",
    "aql_index",
    "code_letter",
    "master_plan",
    "table_cell",
]


class InspectionLevel(StrEnum):
    S1 = "S-1"
    S2 = "S-2"
    S3 = "S-3"
    S4 = "S-4"
    I = "I"  # noqa: E741 - the standard's name for general inspection level I
    II = "II"
    III = "III"


class Severity(StrEnum):
    NORMAL = "normal"
    TIGHTENED = "tightened"
    REDUCED = "reduced"


# The preferred AQL series of the standard (percent nonconforming or nonconformities per 100
# items up to 10; nonconformities per 100 items only above 10), in table column order.
AQL_LABELS: Final = (
    "0.010", "0.015", "0.025", "0.040", "0.065", "0.10", "0.15", "0.25", "0.40", "0.65",
    "1.0", "1.5", "2.5", "4.0", "6.5", "10", "15", "25", "40", "65",
    "100", "150", "250", "400", "650", "1000",
)  # fmt: skip
AQL_VALUES: Final = tuple(float(label) for label in AQL_LABELS)
_AQL_DECIMALS: Final = tuple(Decimal(label) for label in AQL_LABELS)

CODE_LETTERS: Final = "ABCDEFGHJKLMNPQR"  # I and O are not used; S exists in Table 2-B only

# Table 1: upper bound of each lot-size range (the last range is open) and, per inspection
# level, the code letter of each range in the same order.
LOT_SIZE_UPPER: Final = (8, 15, 25, 50, 90, 150, 280, 500, 1200, 3200, 10000, 35000, 150000, 500000)
TABLE_1: Final[Mapping[InspectionLevel, str]] = {
    #                   2  9 16 26 51 91 151 281 501 1201 3201 10001 35001 150001 500001
    InspectionLevel.S1: "AAAABBBBCCCCDDD",
    InspectionLevel.S2: "AAABBBCCCDDDEEE",
    InspectionLevel.S3: "AABBCCDDEEFFGGH",
    InspectionLevel.S4: "AABCCDEEFGGHJJK",
    InspectionLevel.I: "AABCCDEFGHJKLMN",
    InspectionLevel.II: "ABCDEFGHJKLMNPQ",
    InspectionLevel.III: "BCDEFGHJKLMNPQR",
}

# Sample size of each code letter: Tables 2-A and 2-B (S: 2-B only) and Table 2-C.
SAMPLE_SIZE: Final[Mapping[str, int]] = dict(
    zip("ABCDEFGHJKLMNPQRS", (2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250,
                              2000, 3150), strict=True)
)  # fmt: skip
REDUCED_SAMPLE_SIZE: Final[Mapping[str, int]] = dict(
    zip(CODE_LETTERS, (2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800), strict=True)
)

# fmt: off
TABLE_2A: Final[Mapping[str, tuple[str, str]]] = {
    #      0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5
    #        4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
    "A": ("    v     v     v     v     v     v     v     v     v     v     v     v     v",
          "    v   0/1     v     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31"),
    "B": ("    v     v     v     v     v     v     v     v     v     v     v     v     v",
          "  0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45"),
    "C": ("    v     v     v     v     v     v     v     v     v     v     v     v   0/1",
          "    ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ^"),
    "D": ("    v     v     v     v     v     v     v     v     v     v     v   0/1     ^",
          "    v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ^     ^"),
    "E": ("    v     v     v     v     v     v     v     v     v     v   0/1     ^     v",
          "  1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31 44/45     ^     ^     ^"),
    "F": ("    v     v     v     v     v     v     v     v     v   0/1     ^     v   1/2",
          "  2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^"),
    "G": ("    v     v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3",
          "  3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^"),
    "H": ("    v     v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4",
          "  5/6   7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^"),
    "J": ("    v     v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6",
          "  7/8 10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "K": ("    v     v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8",
          "10/11 14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "L": ("    v     v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11",
          "14/15 21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "M": ("    v     v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15",
          "21/22     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "N": ("    v     v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "P": ("    v   0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "Q": ("  0/1     ^     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "R": ("    ^     ^   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22     ^     ^     ^",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
}

# Code letter A under AQL 10 carries 0/1 here as in the ISO 2859-1:1999 transcription used; the
# MIL-STD-105E and ANSI/ASQ Z1.4 transcriptions show an arrow there (plan D, n = 8, 1/2).
# Code letter S (n = 3150) carries a plan under AQL 0.025 only.
TABLE_2B: Final[Mapping[str, tuple[str, str]]] = {
    #      0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5
    #        4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
    "A": ("    v     v     v     v     v     v     v     v     v     v     v     v     v",
          "    v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28"),
    "B": ("    v     v     v     v     v     v     v     v     v     v     v     v     v",
          "    v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42"),
    "C": ("    v     v     v     v     v     v     v     v     v     v     v     v     v",
          "  0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ^"),
    "D": ("    v     v     v     v     v     v     v     v     v     v     v     v   0/1",
          "    v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ^     ^"),
    "E": ("    v     v     v     v     v     v     v     v     v     v     v   0/1     v",
          "    v   1/2   2/3   3/4   5/6   8/9 12/13 18/19 27/28 41/42     ^     ^     ^"),
    "F": ("    v     v     v     v     v     v     v     v     v     v   0/1     v     v",
          "  1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^"),
    "G": ("    v     v     v     v     v     v     v     v     v   0/1     v     v   1/2",
          "  2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^"),
    "H": ("    v     v     v     v     v     v     v     v   0/1     v     v   1/2   2/3",
          "  3/4   5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^"),
    "J": ("    v     v     v     v     v     v     v   0/1     v     v   1/2   2/3   3/4",
          "  5/6   8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "K": ("    v     v     v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6",
          "  8/9 12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "L": ("    v     v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9",
          "12/13 18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "M": ("    v     v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13",
          "18/19     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "N": ("    v     v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "P": ("    v     v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "Q": ("    v   0/1     v     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "R": ("  0/1     ^     v   1/2   2/3   3/4   5/6   8/9 12/13 18/19     ^     ^     ^",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "S": ("    -     -   1/2     -     -     -     -     -     -     -     -     -     -",
          "    -     -     -     -     -     -     -     -     -     -     -     -     -"),
}

TABLE_2C: Final[Mapping[str, tuple[str, str]]] = {
    #      0.010 0.015 0.025 0.040 0.065  0.10  0.15  0.25  0.40  0.65   1.0   1.5   2.5
    #        4.0   6.5    10    15    25    40    65   100   150   250   400   650  1000
    "A": ("    v     v     v     v     v     v     v     v     v     v     v     v     v",
          "    v   0/1     v     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31"),
    "B": ("    v     v     v     v     v     v     v     v     v     v     v     v     v",
          "  0/1     ^     v     v   1/2   2/3   3/4   5/6   7/8 10/11 14/15 21/22 30/31"),
    "C": ("    v     v     v     v     v     v     v     v     v     v     v     v   0/1",
          "    ^     v     v   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22     ^"),
    "D": ("    v     v     v     v     v     v     v     v     v     v     v   0/1     ^",
          "    v     v   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22     ^     ^"),
    "E": ("    v     v     v     v     v     v     v     v     v     v   0/1     ^     v",
          "    v   1/2   2/3   3/4   5/6   6/7   8/9 10/11 14/15 21/22     ^     ^     ^"),
    "F": ("    v     v     v     v     v     v     v     v     v   0/1     ^     v     v",
          "  1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^"),
    "G": ("    v     v     v     v     v     v     v     v   0/1     ^     v     v   1/2",
          "  2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^"),
    "H": ("    v     v     v     v     v     v     v   0/1     ^     v     v   1/2   2/3",
          "  3/4   5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^"),
    "J": ("    v     v     v     v     v     v   0/1     ^     v     v   1/2   2/3   3/4",
          "  5/6   6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "K": ("    v     v     v     v     v   0/1     ^     v     v   1/2   2/3   3/4   5/6",
          "  6/7   8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "L": ("    v     v     v     v   0/1     ^     v     v   1/2   2/3   3/4   5/6   6/7",
          "  8/9 10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "M": ("    v     v     v   0/1     ^     v     v   1/2   2/3   3/4   5/6   6/7   8/9",
          "10/11     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "N": ("    v     v   0/1     ^     v     v   1/2   2/3   3/4   5/6   6/7   8/9 10/11",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "P": ("    v   0/1     ^     v     v   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "Q": ("  0/1     ^     ^     v   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
    "R": ("    ^     ^     ^   1/2   2/3   3/4   5/6   6/7   8/9 10/11     ^     ^     ^",
          "    ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^     ^"),
}
# fmt: on

_TABLES: Final[Mapping[Severity, Mapping[str, tuple[str, str]]]] = {
    Severity.NORMAL: TABLE_2A,
    Severity.TIGHTENED: TABLE_2B,
    Severity.REDUCED: TABLE_2C,
}
_DOWN, _UP, _BLANK = "v", "^", "-"


class TablePlan(NamedTuple):
    """A resolved master-table cell."""

    letter: str  # the row the plan was taken from (after following an arrow)
    sample_size: int
    accept: int
    reject: int


def _rows(severity: Severity) -> tuple[str, ...]:
    return tuple(_TABLES[severity])


def table_cell(severity: Severity, letter: str, aql_index: int) -> str:
    """The printed token of one cell: ``Ac/Re``, ``v``, ``^`` or ``-``."""
    left, right = _TABLES[severity][letter]
    return (left.split() + right.split())[aql_index]


def master_plan(severity: Severity, letter: str, aql_index: int) -> TablePlan:
    """Resolve one cell of Table 2-A/2-B/2-C: an arrow leads to the first plan in its direction
    (the tables' footnotes), whose own row gives the sample size."""
    rows = _rows(severity)
    i = rows.index(letter)
    token = table_cell(severity, letter, aql_index)
    step = {_DOWN: 1, _UP: -1}.get(token, 0)
    while token in (_DOWN, _UP, _BLANK):
        if step == 0:
            raise LookupError(f"no plan at {severity} {letter} column {aql_index}")
        i += step
        token = table_cell(severity, rows[i], aql_index)
    ac, re = (int(part) for part in token.split("/"))
    sizes = REDUCED_SAMPLE_SIZE if severity is Severity.REDUCED else SAMPLE_SIZE
    return TablePlan(rows[i], sizes[rows[i]], ac, re)


def code_letter(lot_size: int, level: InspectionLevel) -> str:
    """Table 1: the sample size code letter of a lot size at an inspection level."""
    band = sum(1 for upper in LOT_SIZE_UPPER if lot_size > upper)
    return TABLE_1[level][band]


def aql_index(aql: object) -> int:
    """The master-table column of an AQL given as a number or text (0.1 == "0.10")."""
    with suppress(InvalidOperation):
        wanted = None if isinstance(aql, bool) else Decimal(str(aql).strip())
        if wanted is not None and wanted in _AQL_DECIMALS:
            return _AQL_DECIMALS.index(wanted)
    raise ValueError(f"aql: must be one of {', '.join(AQL_LABELS)}; got {aql!r}")
