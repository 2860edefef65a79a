"""GS1 identifiers of the synthetic genealogy, in their normalised Digital Link form.

Every number carries a valid GS1 mod-10 check digit: GTIN-14 (items), SSCC (cases, pallets),
GLN (plants, distribution centres, customers' ship-to parties). Keys are exactly what
``qualitas.trace.epcis.identifiers.normalise_id`` returns for them.
"""

from __future__ import annotations

DL = "https://id.gs1.org/"
TRANSFORMATION = "urn:qualitas:transformation:"

OWN_PREFIX = "4012345"  # the manufacturer's GS1 company prefix (7 digits)
SUPPLIER_PREFIX = 4098000  # + supplier number
CUSTOMER_PREFIX = 4077000  # + customer number


def check_digit(payload: str) -> str:
    """The GS1 mod-10 check digit of ``payload`` (weights 3, 1, 3, ... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(payload)))
    return str((10 - total % 10) % 10)


def valid(number: str) -> bool:
    """True when the last digit of ``number`` is its GS1 check digit."""
    return number.isdigit() and check_digit(number[:-1]) == number[-1]


def gtin(prefix: str | int, item: int) -> str:
    """GTIN-14: indicator 0, 7-digit company prefix, 5-digit item reference, check digit."""
    body = f"0{int(prefix):07d}{item:05d}"
    return body + check_digit(body)


def sscc(serial: int) -> str:
    """SSCC: extension digit 3, the own company prefix, 9-digit serial reference, check digit."""
    body = f"3{OWN_PREFIX}{serial:09d}"
    return body + check_digit(body)


def gln(prefix: str | int, location: int) -> str:
    """GLN: 7-digit company prefix, 5-digit location reference, check digit."""
    body = f"{int(prefix):07d}{location:05d}"
    return body + check_digit(body)


def lot_key(gtin14: str, lot: str) -> str:
    return f"{DL}01/{gtin14}/10/{lot}"


def unit_key(gtin14: str, serial: str) -> str:
    return f"{DL}01/{gtin14}/21/{serial}"


def container_key(sscc18: str) -> str:
    return f"{DL}00/{sscc18}"


def location_key(gln13: str) -> str:
    return f"{DL}414/{gln13}"


def party_key(gln13: str) -> str:
    return f"{DL}417/{gln13}"


def transformation_key(code: str) -> str:
    return TRANSFORMATION + code
