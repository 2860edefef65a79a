"""Password and session policy profiles (pure; no I/O besides the bundled word list).

``asvs-l2`` follows OWASP ASVS 5.0 level 2: long passphrases, a breached/common-password
check, context words blocked, no composition rules and no forced rotation.
``djbh3`` follows GB/T 22239-2019 level 3 (等保三级): complexity, 90-day rotation,
mandatory MFA, a 30-minute idle timeout and stricter lockout.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

__all__ = [
    "PROFILES",
    "PasswordPolicy",
    "PolicyViolation",
    "check_password",
    "is_common",
    "is_weak",
    "password_expired",
]


@dataclass(frozen=True)
class PasswordPolicy:
    name: str
    min_length: int
    max_length: int
    min_char_classes: int
    rotation_days: int | None
    history_depth: int
    idle_timeout: dt.timedelta
    absolute_timeout: dt.timedelta
    mfa_required: bool
    lockout_threshold: int
    lockout_minutes: int


PROFILES: dict[str, PasswordPolicy] = {
    "asvs-l2": PasswordPolicy(
        name="asvs-l2",
        min_length=15,
        max_length=128,
        min_char_classes=0,
        rotation_days=None,
        history_depth=0,
        idle_timeout=dt.timedelta(hours=1),
        absolute_timeout=dt.timedelta(hours=12),
        mfa_required=False,
        lockout_threshold=5,
        lockout_minutes=15,
    ),
    "djbh3": PasswordPolicy(
        name="djbh3",
        min_length=12,
        max_length=128,
        min_char_classes=3,
        rotation_days=90,
        history_depth=5,
        idle_timeout=dt.timedelta(minutes=30),
        absolute_timeout=dt.timedelta(hours=8),
        mfa_required=True,
        lockout_threshold=5,
        lockout_minutes=30,
    ),
}


@dataclass(frozen=True)
class PolicyViolation:
    code: str
    message: str


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # 30,000 most common passwords from public breach corpora, shipped with zxcvbn (MIT).
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """True if the password (case-folded, or its letters-only core) is a known common one."""
    folded = password.casefold()
    core = "".join(ch for ch in folded if ch.isalpha())
    common = _common_passwords()
    return folded in common or (len(core) >= 4 and core in common)


def is_weak(password: str, context_words: tuple[str, ...] = ()) -> bool:
    """True if zxcvbn estimates the password as guessable (score < 3 of 4), e.g. a common
    password padded to length, keyboard walks, repeats, or the user's own names."""
    words = [w for w in context_words if w]
    return int(zxcvbn(password[:72], user_inputs=words)["score"]) < MIN_STRENGTH


MIN_STRENGTH = 3


def _char_classes(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def check_password(
    policy: PasswordPolicy, password: str, context_words: tuple[str, ...] = ()
) -> list[PolicyViolation]:
    """Every rule of ``policy`` that ``password`` breaks (empty list = acceptable)."""
    out: list[PolicyViolation] = []
    if len(password) < policy.min_length:
        out.append(
            PolicyViolation(
                "password_too_short", f"must be at least {policy.min_length} characters"
            )
        )
    if len(password) > policy.max_length:
        out.append(
            PolicyViolation("password_too_long", f"must be at most {policy.max_length} characters")
        )
    if policy.min_char_classes and _char_classes(password) < policy.min_char_classes:
        out.append(
            PolicyViolation(
                "password_too_simple",
                f"must mix at least {policy.min_char_classes} of: lower case, upper case, "
                "digits, symbols",
            )
        )
    if is_common(password):
        out.append(PolicyViolation("password_breached", "appears in a list of breached passwords"))
    folded = password.casefold()
    for word in context_words:
        w = word.casefold().strip()
        if len(w) >= 4 and w in folded:
            out.append(
                PolicyViolation("password_context", "must not contain your user name or e-mail")
            )
            break
    if not out and is_weak(password, context_words):
        out.append(PolicyViolation("password_weak", "is too easy to guess"))
    return out


def password_expired(
    policy: PasswordPolicy, changed_at: dt.datetime | None, now: dt.datetime
) -> bool:
    """True when rotation is required and the password is older than allowed."""
    if policy.rotation_days is None or changed_at is None:
        return False
    return now - changed_at > dt.timedelta(days=policy.rotation_days)
