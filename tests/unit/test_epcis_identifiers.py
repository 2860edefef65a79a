"""Identifiers and vocabulary of the EPCIS codec: EPC URNs, Digital Link URIs, CBV words."""

from __future__ import annotations

from urllib.parse import quote, unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualitas.trace.epcis import (
    cbv_uri,
    normalise_class,
    normalise_id,
    normalise_vocab,
    pattern_prefix,
)
from qualitas.trace.epcis.digitallink import check_digit, valid_check_digit
from qualitas.trace.epcis.timeutil import canonical_utc, hash_timestamp

DL = "https://id.gs1.org/"


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("400638133393", "1"),  # EAN-13 4006381333931
        ("03600029145", "2"),  # UPC-A (GTIN-12) 036000291452
        ("10614141234567890", "8"),  # SSCC 106141412345678908 (GS1 General Specifications)
    ],
)
def test_check_digit(digits: str, expected: str) -> None:
    assert check_digit(digits) == expected
    assert valid_check_digit(digits + expected)
    assert not valid_check_digit(digits + str((int(expected) + 1) % 10))


@pytest.mark.parametrize(
    ("urn", "key"),
    [
        # the indicator digit (first digit of the item reference) moves to the front
        ("urn:epc:id:sgtin:0614141.107346.2018", f"{DL}01/10614141073464/21/2018"),
        ("urn:epc:id:sgtin:4012345.011111.987", f"{DL}01/04012345111118/21/987"),
        ("urn:epc:class:lgtin:4012345.011111.4444", f"{DL}01/04012345111118/10/4444"),
        ("urn:epc:idpat:sgtin:4012345.066666.*", f"{DL}01/04012345666663"),
        ("urn:epc:id:sscc:0614141.1234567890", f"{DL}00/106141412345678908"),
        ("urn:epc:id:sscc:4012345.0000000333", f"{DL}00/040123450000003338"),
        ("urn:epc:id:sgln:0012345.11111.0", f"{DL}414/0012345111112"),
        ("urn:epc:id:sgln:0012345.11111.400", f"{DL}414/0012345111112/254/400"),
        ("urn:epc:id:pgln:4012345.00225", f"{DL}417/4012345002256"),
        ("urn:epc:id:gdti:0614141.00001.1618034", f"{DL}253/06141410000121618034"),
        ("urn:epc:id:grai:4000001.11111.ABC", f"{DL}8003/04000001111114ABC"),
        ("urn:epc:id:giai:4000001.111", f"{DL}8004/4000001111"),
        ("urn:epc:id:gsrn:0614141.0000010253", f"{DL}8018/061414100000102534"),
        ("urn:epc:id:gsrnp:0614141.0000010253", f"{DL}8017/061414100000102534"),
        ("urn:epc:id:sgcn:4012345.67890.04711", f"{DL}255/401234567890104711"),
        ("urn:epc:id:cpi:0614141.123ABC.123456789", f"{DL}8010/0614141123ABC/8011/123456789"),
        ("urn:epc:id:ginc:0614141.xyz3311cba", f"{DL}401/0614141xyz3311cba"),
        ("urn:epc:id:gsin:0614141.123456789", f"{DL}402/06141411234567890"),
        ("urn:epc:id:itip:4012345.012345.01.02.987", f"{DL}8006/040123451234560102/21/987"),
        (
            "urn:epc:id:upui:1234567.089456.51qIgY)%3C%26Jp3*j7'SDB",
            f"{DL}01/01234567894560/235/51qIgY%29%3C%26Jp3%2Aj7%27SDB",
        ),
    ],
)
def test_epc_urn_to_digital_link(urn: str, key: str) -> None:
    assert normalise_id(urn) == key
    assert normalise_id(key) == key  # the key is its own canonical form


def test_serial_percent_decoding_and_reencoding() -> None:
    # EPC URNs escape "/", "%" ... with %XX; Digital Link encodes every non-unreserved character
    urn = "urn:epc:id:sgtin:0614141.107346.A%2F%25b!"
    assert normalise_id(urn) == f"{DL}01/10614141073464/21/A%2F%25b%21"
    assert normalise_id(f"{DL}01/10614141073464/21/A%2F%25b!") == normalise_id(urn)


@pytest.mark.parametrize(
    "uri",
    [
        "https://example.com/01/10614141073464/21/2018",
        "http://example.com/some/prefix/01/10614141073464/21/2018?linkType=all",
        "https://id.gs1.org/01/10614141073464/10/LOT9/21/2018",  # the lot is not part of the key
        "https://brand.example/01/10614141073464/22/2A/21/2018#frag",  # CPV dropped
        "https://id.gs1.org/gtin/10614141073464/ser/2018",  # Digital Link 1.x short names
        "  https://id.gs1.org/01/10614141073464/21/2018 ",
    ],
)
def test_digital_link_forms_agree(uri: str) -> None:
    assert normalise_id(uri) == normalise_id("urn:epc:id:sgtin:0614141.107346.2018")


def test_gtin_padding_and_lot_key() -> None:
    assert (
        normalise_id("https://x.example/01/9506000134352/10/A1") == f"{DL}01/09506000134352/10/A1"
    )
    assert normalise_class("urn:epc:class:lgtin:4012345.011111.4444") == normalise_id(
        "https://id.gs1.org/01/04012345111118/10/4444"
    )


@pytest.mark.parametrize(
    "value",
    [
        "http://transaction.acme.com/po/12345678",  # a URL that is no Digital Link
        "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8",
        "urn:epcglobal:cbv:bt:0614141073467:1152",
        "geo:47.506694,11.104301",
        "https://id.gs1.org/01/10614141073465/21/1",  # wrong check digit: not a GS1 key
        "urn:epc:id:gid:95100000.12345.400",  # EPC without GS1 key keeps its URN
    ],
)
def test_other_identifiers_unchanged(value: str) -> None:
    assert normalise_id(f" {value}\n") == value


@pytest.mark.parametrize(
    ("urn", "fragment"),
    [
        ("urn:epc:id:sgtin:0614141.10734.2018", "13 digits"),
        ("urn:epc:id:sgtin:0614141.107346", "3 dot-separated parts"),
        ("urn:epc:id:sgtin:06141A1.107346.1", "digits"),
        ("urn:epc:id:sgtin:0614141.107346.", "serial part is empty"),
        ("urn:epc:id:sscc:0614141.123456789", "17 digits"),
        ("urn:epc:id:foo:1.2", "unknown EPC scheme"),
        ("urn:epc:tag:sgtin-96:3.0614141.812345.6789", "unknown EPC URN kind"),
        ("urn:epc:raw:96.x", "not an EPC URN"),
        ("urn:epc:idpat:sgtin:0614141.*.*", "fixed key"),
        ("urn:epc:idpat:sscc:0614141.*", "not supported"),
        ("   ", "required"),
    ],
)
def test_invalid_epc_urns(urn: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        normalise_id(urn)


def test_pattern_prefix() -> None:
    assert pattern_prefix("urn:epc:idpat:sgtin:0614141.107346.*") == f"{DL}01/10614141073464/21/"
    assert pattern_prefix("urn:epc:idpat:sgln:0012345.11111.*") == f"{DL}414/0012345111112"
    assert pattern_prefix("urn:epc:idpat:grai:4000001.11111.*") == f"{DL}8003/04000001111114"
    assert pattern_prefix("urn:epc:id:sgtin:0614141.107346.2018") is None
    assert pattern_prefix("https://id.gs1.org/01/10614141073464") is None
    with pytest.raises(ValueError):
        pattern_prefix("urn:epc:idpat:sgtin:0614141.*.*")
    key = normalise_id("urn:epc:id:sgtin:0614141.107346.77")
    assert key.startswith(pattern_prefix("urn:epc:idpat:sgtin:0614141.107346.*") or "-")


@pytest.mark.parametrize(
    ("kind", "value", "bare"),
    [
        ("bizStep", "shipping", "shipping"),
        ("bizStep", "cbv:BizStep-shipping", "shipping"),
        ("bizStep", "urn:epcglobal:cbv:bizstep:shipping", "shipping"),
        ("bizStep", "https://ref.gs1.org/cbv/BizStep-shipping", "shipping"),
        ("bizStep", " https://gs1.org/voc/Bizstep-shipping ", "shipping"),
        ("disposition", "urn:epcglobal:cbv:disp:in_transit", "in_transit"),
        ("disposition", "cbv:Disp-non_conformant", "non_conformant"),
        ("bizTransactionType", "urn:epcglobal:cbv:btt:po", "po"),
        ("bizTransactionType", "https://ref.gs1.org/cbv/BTT-prodorder", "prodorder"),
        ("sourceDestType", "urn:epcglobal:cbv:sdt:owning_party", "owning_party"),
        ("errorReason", "urn:epcglobal:cbv:er:incorrect_data", "incorrect_data"),
        ("sensorMeasurementType", "gs1:Temperature", "Temperature"),
        ("sensorMeasurementType", "https://gs1.org/voc/RelativeHumidity", "RelativeHumidity"),
        ("sensorAlertType", "gs1:ALARM_CONDITION", "ALARM_CONDITION"),
        ("component", "https://ref.gs1.org/cbv/Comp-easting", "easting"),
        # not standard: unchanged
        ("bizStep", "http://epcis.example.org/hc/bizstep/summarising_discharge",
         "http://epcis.example.org/hc/bizstep/summarising_discharge"),
        ("bizStep", "urn:epcglobal:cbv:bizstep:flying", "urn:epcglobal:cbv:bizstep:flying"),
        ("disposition", "shipping", "shipping"),  # a business step is no disposition
    ],
)  # fmt: skip
def test_normalise_vocab(kind: str, value: str, bare: str) -> None:
    assert normalise_vocab(kind, value) == bare


def test_cbv_uri_forms() -> None:
    assert cbv_uri("bizStep", "shipping") == "urn:epcglobal:cbv:bizstep:shipping"
    assert cbv_uri("bizStep", "cbv:BizStep-shipping", web=True) == (
        "https://ref.gs1.org/cbv/BizStep-shipping"
    )
    assert cbv_uri("disposition", "recalled") == "urn:epcglobal:cbv:disp:recalled"
    assert cbv_uri("sourceDestType", "location") == "urn:epcglobal:cbv:sdt:location"
    assert cbv_uri("component", "x") == "https://ref.gs1.org/cbv/Comp-x"
    assert cbv_uri("bizStep", "https://example.com/steps/weld") == "https://example.com/steps/weld"
    with pytest.raises(ValueError, match="unknown vocabulary kind"):
        normalise_vocab("colour", "red")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2005-04-04T20:33:31.116-06:00", "2005-04-05T02:33:31.116Z"),
        ("2020-03-04T11:00:30+01:00", "2020-03-04T10:00:30.000Z"),
        ("2023-01-18T11:04:03.1415Z", "2023-01-18T11:04:03.142Z"),  # 4th decimal 5 rounds up
        ("2023-01-18T11:04:03.14149Z", "2023-01-18T11:04:03.141Z"),  # only the 4th decimal counts
        ("2023-12-31T23:59:59.9995Z", "2024-01-01T00:00:00.000Z"),  # carry across the year
        ("2024-02-29T00:30:00.5+01:00", "2024-02-28T23:30:00.500Z"),
    ],
)
def test_hash_timestamps(text: str, expected: str) -> None:
    assert hash_timestamp(text) == expected


def test_canonical_utc_keeps_precision() -> None:
    assert canonical_utc("2005-04-04T20:33:31.11600-06:00") == "2005-04-05T02:33:31.116Z"
    assert canonical_utc("2020-01-14T00:00:00+01:00") == "2020-01-13T23:00:00Z"
    assert canonical_utc("2020-01-14T00:00:00") is None  # no offset: not an EPCIS date-time


@given(
    cp_len=st.integers(min_value=6, max_value=12),
    digits=st.text(alphabet="0123456789", min_size=13, max_size=13),
    serial=st.text(
        alphabet="!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz",
        min_size=1,
        max_size=20,
    ),
)
def test_sgtin_urn_and_digital_link_give_one_key(cp_len: int, digits: str, serial: str) -> None:
    cp, item = digits[:cp_len], digits[cp_len:]
    key = normalise_id(f"urn:epc:id:sgtin:{cp}.{item}.{quote(serial, safe='')}")
    gtin = key.split("/")[4]
    assert len(gtin) == 14 and valid_check_digit(gtin)
    assert gtin[0] == item[0] and gtin[1:13] == cp + item[1:]
    assert unquote(key.split("/")[6]) == serial
    assert normalise_id(key) == key
    assert normalise_id(f"https://other.example/x/01/{gtin}/21/{quote(serial, safe='')}?q=1") == key
