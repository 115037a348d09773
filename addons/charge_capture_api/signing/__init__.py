from .hmac_v1 import (
    SIGNATURE_PREFIX,
    SignatureError,
    check_timestamp,
    request_message,
    sign,
    signature_matches,
)
from .secrets import SecretBox, SecretKeyError
