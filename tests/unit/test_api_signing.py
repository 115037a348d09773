"""The request signature and the encryption of client secrets (charge_capture_api/signing)."""

import hashlib
import hmac

import pytest
from hypothesis import given
from hypothesis import strategies as st
from signing import SecretBox, SecretKeyError, SignatureError, check_timestamp, request_message, sign, signature_matches


def test_signature_is_the_documented_hmac():
    body = b'{"event_id":"E1"}'
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sign("s3cret", "1700000000", body) == "v1=" + expected


def test_get_requests_sign_path_and_query():
    assert request_message("17", b"", "/api/healthcare/v1/events/E1", "a=1") == b"17./api/healthcare/v1/events/E1?a=1"
    assert request_message("17", b"", "/x", "") == b"17./x?"


@given(secret=st.text(min_size=1), body=st.binary(min_size=1), timestamp=st.integers(0, 10**10))
def test_a_signature_verifies_only_its_own_request(secret, body, timestamp):
    signature = sign(secret, timestamp, body)
    assert signature_matches(signature, [secret], timestamp, body)
    assert not signature_matches(signature, [secret], timestamp, body + b" ")
    assert not signature_matches(signature, [secret], timestamp + 1, body)
    assert not signature_matches(signature, [secret + "x"], timestamp, body)


def test_any_valid_secret_matches_during_a_rotation():
    signature = sign("old", 1, b"x")
    assert signature_matches(signature, ["new", "old"], 1, b"x")
    assert not signature_matches(signature, ["new"], 1, b"x")
    assert not signature_matches(signature.upper(), ["old"], 1, b"x")
    assert not signature_matches("", ["old"], 1, b"x")
    assert not signature_matches(signature[3:], ["old"], 1, b"x")


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        ("1000", True),
        ("700", True),
        ("1300", True),
        ("699", False),
        ("1301", False),
        ("", False),
        ("1e3", False),
        ("-5", False),
    ],
)
def test_timestamp_window_is_300_seconds(header, ok):
    if ok:
        assert check_timestamp(header, now=1000) == int(header)
    else:
        with pytest.raises(SignatureError) as error:
            check_timestamp(header, now=1000)
        assert error.value.check == "timestamp"


def test_secret_box_round_trip_and_wrong_key():
    box = SecretBox("a long passphrase that is not a fernet key")
    token = box.encrypt("the secret")
    assert "the secret" not in token
    assert box.decrypt(token) == "the secret"
    with pytest.raises(SecretKeyError):
        SecretBox("another key").decrypt(token)


def test_secret_box_accepts_a_fernet_key_and_refuses_none():
    from cryptography.fernet import Fernet  # noqa: PLC0415

    key = Fernet.generate_key().decode()
    assert Fernet(key.encode()).decrypt(SecretBox(key).encrypt("x").encode()) == b"x"
    for missing in (None, "", "   "):
        with pytest.raises(SecretKeyError):
            SecretBox(missing)
