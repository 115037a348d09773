"""The ``v1`` request signature of the healthcare API (pure Python).

A request is signed with the client's secret::

    X-HC-Timestamp: <unix seconds>
    X-HC-Signature: v1=<lowercase hex HMAC-SHA256(secret, message)>

where ``message`` is ``"{timestamp}.{raw body}"``, or for a request without a
body (GET) ``"{timestamp}.{path}?{query}"`` (the ``?`` is always there, the
query string exactly as sent, possibly empty).  Outbound notifications are
signed the same way with the subscribing client's secret.
"""

import hashlib
import hmac

SIGNATURE_PREFIX = "v1="
DEFAULT_TOLERANCE = 300


class SignatureError(Exception):
    """A signature check failed; ``check`` names which one (for the error body)."""

    def __init__(self, check, message):
        super().__init__(message)
        self.check = check
        self.message = message


def _bytes(value):
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def request_message(timestamp, body=b"", path="", query=""):
    """The bytes that are signed for a request."""
    body = _bytes(body)
    if body:
        return _bytes(timestamp) + b"." + body
    return _bytes(timestamp) + b"." + _bytes(path) + b"?" + _bytes(query)


def sign(secret, timestamp, body=b"", path="", query=""):
    """The ``X-HC-Signature`` header value of a request."""
    digest = hmac.new(_bytes(secret), request_message(timestamp, body, path, query), hashlib.sha256)
    return SIGNATURE_PREFIX + digest.hexdigest()


def check_timestamp(header, now, tolerance=DEFAULT_TOLERANCE):
    """Parse the ``X-HC-Timestamp`` header; raise ``SignatureError`` unless within tolerance."""
    if not header:
        raise SignatureError("timestamp", "The X-HC-Timestamp header is missing.")
    if not header.isascii() or not header.isdigit() or len(header) > 12:
        raise SignatureError("timestamp", "The X-HC-Timestamp header must be Unix time in whole seconds.")
    timestamp = int(header)
    if abs(now - timestamp) > tolerance:
        raise SignatureError(
            "timestamp",
            f"The X-HC-Timestamp header is more than {tolerance} seconds away from the server clock.",
        )
    return timestamp


def signature_matches(header, secrets, timestamp, body=b"", path="", query=""):
    """True when ``header`` is the signature of the request by one of ``secrets``.

    Every secret is compared in constant time, and all of them are always
    compared, so that the answer time does not tell which one matched.
    """
    if not header or not header.startswith(SIGNATURE_PREFIX):
        return False
    given = _bytes(header)
    matched = False
    for secret in secrets:
        if secret:
            expected = _bytes(sign(secret, timestamp, body, path, query))
            matched |= hmac.compare_digest(expected, given)
    return matched
