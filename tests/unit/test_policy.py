"""Password policy profiles (pure functions, no database)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from qualitas.auth.policy import (
    PROFILES,
    PasswordPolicy,
    check_password,
    is_common,
    is_weak,
    password_expired,
)

ASVS = PROFILES["asvs-l2"]
DJBH3 = PROFILES["djbh3"]
FILLER = "harbor lantern quiet meadow " * 6  # lower case and spaces only; not a common password


# 256 hex digits with no repeated pattern: long and strong.
RANDOMISH = "".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(4))


def of_length(n: int, base: str = FILLER) -> str:
    text = (base * (n // len(base) + 1))[:n]
    assert len(text) == n
    return text


def codes(policy: PasswordPolicy, password: str, words: tuple[str, ...] = ()) -> list[str]:
    return [v.code for v in check_password(policy, password, words)]


def test_profiles_say_what_the_standards_ask() -> None:
    assert (ASVS.min_length, ASVS.min_char_classes, ASVS.rotation_days) == (15, 0, None)
    assert (ASVS.history_depth, ASVS.mfa_required) == (0, False)
    assert (ASVS.idle_timeout, ASVS.absolute_timeout) == (
        dt.timedelta(hours=1),
        dt.timedelta(hours=12),
    )
    assert (DJBH3.min_length, DJBH3.min_char_classes, DJBH3.rotation_days) == (12, 3, 90)
    assert (DJBH3.history_depth, DJBH3.mfa_required) == (5, True)
    assert (DJBH3.idle_timeout, DJBH3.absolute_timeout) == (
        dt.timedelta(minutes=30),
        dt.timedelta(hours=8),
    )
    for policy in (ASVS, DJBH3):
        assert policy.max_length >= 64  # ASVS 6.2.9
        assert policy.lockout_threshold == 5


@pytest.mark.parametrize(
    ("length", "expected"),
    [
        (1, ["password_too_short"]),
        (14, ["password_too_short"]),
        (15, []),
        (64, []),
        (128, []),
        (129, ["password_too_long"]),
    ],
)
def test_asvs_lengths(length: int, expected: list[str]) -> None:
    assert codes(ASVS, of_length(length)) == expected


def test_asvs_has_no_composition_rules() -> None:
    assert codes(ASVS, "quietharborlamp") == []  # lower case letters only
    assert codes(ASVS, "陆家嘴质量管理体系的密码短语很长") == []  # any Unicode character counts


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Harbor-qui1", ["password_too_short"]),  # 11
        ("Harbor-quie1", []),  # 12, four classes
        ("harbor-quie1", []),  # lower, symbol, digit
        ("HARBOR-QUIE1", []),  # upper, symbol, digit
        ("HarborQuiet1", []),  # lower, upper, digit
        ("Harbor-Quiet", []),  # lower, upper, symbol
        ("harborquiet1", ["password_too_simple"]),  # lower, digit
        ("harbor-quiet", ["password_too_simple"]),  # lower, symbol
        ("HarborQuietX", ["password_too_simple"]),  # lower, upper
        ("harborquietx", ["password_too_simple"]),  # one class
        ("Ab1-" + RANDOMISH[:124], []),
        ("Ab1-" + RANDOMISH[:125], ["password_too_long"]),
    ],
)
def test_djbh3_length_and_character_classes(password: str, expected: list[str]) -> None:
    assert codes(DJBH3, password) == expected


def test_every_broken_rule_is_reported() -> None:
    assert codes(DJBH3, "password") == [
        "password_too_short",
        "password_too_simple",
        "password_breached",
    ]
    assert codes(ASVS, "PASSWORD", ("password",)) == [
        "password_too_short",
        "password_breached",
        "password_context",
    ]


@pytest.mark.parametrize(
    "password",
    [
        "password",
        "Password",
        "PASSWORD",
        "123456",
        "qwerty",
        "iloveyou",
        "1qaz2wsx3edc4rfv",
        "qwertyuiop12345",
    ],
)
def test_common_passwords_are_known_in_any_case(password: str) -> None:
    assert is_common(password)


@pytest.mark.parametrize(
    "password", ["Harbor-Lantern-quiet-42", "correct horse battery staple", of_length(40)]
)
def test_unusual_passwords_are_not_common(password: str) -> None:
    assert not is_common(password)


def test_long_common_password_is_breached_under_asvs() -> None:
    assert codes(ASVS, "1qaz2wsx3edc4rfv") == ["password_breached"]


def test_common_word_with_digits_and_symbols_is_common_as_documented() -> None:
    assert is_common("Password123!")  # docstring: "or its letters-only core"


@pytest.mark.parametrize(
    ("password", "words", "expected"),
    [
        ("my-jdoe-is-a-long-secret", ("jdoe",), ["password_context"]),
        ("MY-JDOE-IS-A-LONG-SECRET", ("jdoe",), ["password_context"]),
        ("long-secret-of-mine-jane", ("", "jane.doe@acme.example.com", "jane.doe"), []),
        (
            "jane.doe-has-a-secret",
            ("x1", "jane.doe@acme.example.com", "jane.doe"),
            ["password_context"],
        ),
        ("bob-has-a-long-secret", ("bob",), []),  # words under 4 characters are ignored
        ("  spaced  user  name  ", (" user ",), ["password_context"]),
    ],
)
def test_context_words(password: str, words: tuple[str, ...], expected: list[str]) -> None:
    assert codes(ASVS, password, words) == expected


def test_password_expiry() -> None:
    now = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    ninety = now - dt.timedelta(days=90)
    assert not password_expired(DJBH3, ninety, now)
    assert password_expired(DJBH3, ninety - dt.timedelta(seconds=1), now)
    assert not password_expired(DJBH3, None, now)
    assert not password_expired(DJBH3, now, now)
    assert not password_expired(ASVS, now - dt.timedelta(days=3650), now)  # ASVS 6.2.10


@given(st.text(min_size=15, max_size=128))
def test_asvs_accepts_any_long_enough_uncommon_password(password: str) -> None:
    assume(not is_common(password) and not is_weak(password))
    assert check_password(ASVS, password) == []


@given(st.text(max_size=14))
def test_asvs_refuses_anything_shorter_than_15(password: str) -> None:
    assert "password_too_short" in codes(ASVS, password)
