"""Encryption of API client secrets at rest (pure Python).

Secrets are stored encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under a key
that lives outside the database: the ``hc_secret_key`` option of the Odoo
configuration file or the ``HC_SECRET_KEY`` environment variable.  A value that
is not a Fernet key is stretched into one with SHA-256, so any long random
string works.
"""

import base64
import binascii
import hashlib

from cryptography.fernet import Fernet, InvalidToken


class SecretKeyError(Exception):
    """No key is configured, or a stored secret does not decrypt with it."""


class SecretBox:
    def __init__(self, key):
        if not key or not str(key).strip():
            raise SecretKeyError(
                "No secret key is configured: set hc_secret_key in the Odoo configuration file "
                "or the HC_SECRET_KEY environment variable."
            )
        self._fernet = Fernet(self._fernet_key(str(key).strip()))

    @staticmethod
    def _fernet_key(key):
        try:
            is_fernet_key = len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
        except (binascii.Error, UnicodeEncodeError, ValueError):
            is_fernet_key = False
        if is_fernet_key:
            return key.encode("ascii")
        return base64.urlsafe_b64encode(hashlib.sha256(key.encode("utf-8")).digest())

    def encrypt(self, secret):
        return self._fernet.encrypt(secret.encode("utf-8")).decode("ascii")

    def decrypt(self, token):
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeError, ValueError) as error:
            raise SecretKeyError("A stored secret does not decrypt with the configured key.") from error
