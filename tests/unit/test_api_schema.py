"""The event schemas, their validator and the OpenAPI document (charge_capture_api/apispec)."""

import copy
from decimal import Decimal

import pytest
from apispec import EVENT_TYPES, JsonError, event_schema, openapi_document, parse_datetime, parse_json, validate
from openapi_spec_validator import validate as validate_openapi

DOC = openapi_document("http://127.0.0.1:8069")

CHARGE = {
    "event_id": "E-1",
    "event_type": "charge.created",
    "occurred_at": "2025-06-02T10:15:00Z",
    "source_system": "LIS",
    "facility": {"code": "LAB1"},
    "patient": {
        "identifiers": [{"type": "MR", "value": "123"}],
        "first_name": "A",
        "last_name": "B",
        "birth_date": "1980-01-01",
        "sex": "F",
    },
    "encounter": {"external_id": "ACC-1", "date_of_service": "2025-06-02"},
    "charges": [{"line_id": "1", "code_system": "CPT", "code": "85027", "units": 1}],
}


def errors_of(body):
    return validate(body, event_schema(), DOC)


def test_the_document_is_valid_openapi_3_1():
    validate_openapi(DOC)
    assert DOC["openapi"] == "3.1.0"
    assert set(DOC["paths"]) == {"/events", "/events/{event_id}", "/health", "/openapi.json"}
    assert set(DOC["components"]["schemas"]["Event"]["discriminator"]["mapping"]) == set(EVENT_TYPES)


def test_a_valid_event_has_no_error():
    assert errors_of(CHARGE) == []


def test_every_problem_is_listed_with_its_path():
    body = copy.deepcopy(CHARGE)
    del body["patient"]["sex"]
    body["charges"].append({"line_id": "2", "code_system": "XX", "code": "1", "units": -1, "extra": 1})
    body["occurred_at"] = "yesterday"
    assert {(e["path"], e["message"].split(":")[0]) for e in errors_of(body)} == {
        ("patient.sex", "is required"),
        ("charges[1].code_system", "must be one of"),
        ("charges[1].units", "must be greater than 0"),
        ("charges[1].extra", "is not a known field"),
        ("occurred_at", "must be a date and time with an offset (ISO 8601, e.g. 2025-01-31T08"),
    }


@pytest.mark.parametrize("value", [True, "1", None, [1]])
def test_booleans_and_strings_are_not_numbers(value):
    body = copy.deepcopy(CHARGE)
    body["charges"][0]["units"] = value
    assert errors_of(body)[0]["path"] == "charges[0].units"


def test_amounts_keep_their_exact_decimal_value():
    body = parse_json(b'{"amount": 0.1, "cents": 10.005}')
    assert body["amount"] == Decimal("0.1")
    schema = {"type": "number", "multipleOf": 0.01}
    assert validate(Decimal("19.99"), schema) == []
    assert validate(body["cents"], schema)[0]["message"] == "must be a multiple of 0.01"


@pytest.mark.parametrize("raw", [b"{", b"\xff", b'{"a": NaN}', b'{"a": Infinity}', b"[" * 100000])
def test_malformed_json_is_refused(raw):
    with pytest.raises(JsonError):
        parse_json(raw)


def test_payment_needs_a_claim_or_an_invoice_number():
    body = {
        "event_id": "P-1",
        "event_type": "payment.received",
        "occurred_at": "2025-06-02T10:15:00+02:00",
        "source_system": "GW",
        "facility": {"code": "LAB1"},
        "payment_id": "pay_1",
        "amount": Decimal("10.00"),
        "currency": "USD",
        "paid_at": "2025-06-02T10:15:00Z",
        "method": "card",
    }
    assert errors_of(body)[0]["message"].startswith("must have one of: claim_number or invoice_number")
    assert errors_of(dict(body, claim_number="CLM1")) == []


def test_offsets_are_converted_to_utc():
    assert str(parse_datetime("2025-06-02T12:00:00+02:00")) == "2025-06-02 10:00:00"
    with pytest.raises(ValueError):
        parse_datetime("2025-06-02T12:00:00")
