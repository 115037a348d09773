"""The event API: authenticate, parse, hand over to one model method, answer JSON.

The API runs with ``auth='none'``: it serves the database Odoo selects for a
request without a session, i.e. the only database the server exposes
(``db_name`` or ``dbfilter`` in the configuration; see the addon's CONFIGURE).
Authentication and the bookkeeping of events run as the superuser; everything
an event does to business records runs as the client's technical user.
"""

import logging
import re
import time

import psycopg2
from werkzeug.exceptions import RequestEntityTooLarge

from odoo import SUPERUSER_ID, _, http
from odoo.http import request

from ..apispec import BASE_PATH, MAX_BODY_BYTES, SCHEMAS, JsonError, openapi_document, parse_json
from ..exceptions import ApiError
from ..models.hc_api_client import _secret_box
from ..signing import SecretKeyError, SignatureError, check_timestamp, signature_matches

_logger = logging.getLogger(__name__)

SIGNATURE_RE = re.compile(r"v1=[0-9a-f]{64}")
PUBLIC_ID_RE = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
EVENT_ID_RE = re.compile(SCHEMAS["ChargeCreated"]["properties"]["event_id"]["pattern"])
IDEMPOTENCY_KEY_RE = re.compile(r"[\x21-\x7e]{1,128}")
# Compared when the client is unknown, so that the answer takes as long.
_DUMMY_SECRET = "unknown-client-secret-for-constant-time-comparison"

_ROUTE = {"type": "http", "auth": "none", "csrf": False, "save_session": False, "readonly": False}


def _json(status, body, headers=None):
    headers = dict(headers or {}, **{"Cache-Control": "no-store"})
    return request.make_json_response(body, headers=list(headers.items()), status=status)


def _error(error):
    return _json(error.status, error.body(), error.headers)


class HealthcareApiController(http.Controller):
    # ------------------------------------------------------------------
    # Endpoints
    # ------------------------------------------------------------------
    @http.route(f"{BASE_PATH}/events", methods=["POST"], **_ROUTE)
    def post_event(self, **_query):
        return self._handle(self._post_event)

    @http.route(f"{BASE_PATH}/events/<string:event_id>", methods=["GET"], **_ROUTE)
    def get_event(self, event_id, **_query):
        return self._handle(self._get_event, event_id)

    @http.route(f"{BASE_PATH}/health", methods=["GET"], **_ROUTE)
    def health(self, **_query):
        try:
            request.env.cr.execute("SELECT 1")
            request.env.cr.fetchone()
        except psycopg2.Error:
            return _json(503, {"status": "error", "database": "unreachable"})
        return _json(200, {"status": "ok", "database": "ok"})

    @http.route(f"{BASE_PATH}/openapi.json", methods=["GET"], **_ROUTE)
    def openapi(self, **_query):
        return self._handle(self._openapi)

    # ------------------------------------------------------------------
    # Handlers
    # ------------------------------------------------------------------
    def _handle(self, handler, *args):
        env = request.env(user=SUPERUSER_ID, su=True)
        try:
            return handler(env, *args)
        except ApiError as error:
            return _error(error)
        except psycopg2.OperationalError:
            # Concurrency errors: let Odoo retry the whole request.
            raise
        except SecretKeyError:
            _logger.error("API request refused: the secret key is missing or does not decrypt client secrets")
            request.env.cr.rollback()
            return _error(ApiError(500, "server_misconfigured", _("The server cannot check signatures.")))
        except Exception:
            _logger.exception("API request failed (%s)", request.httprequest.path)
            request.env.cr.rollback()
            return _error(ApiError(500, "internal_error", _("The server failed to handle the request.")))

    def _post_event(self, env):
        httprequest = request.httprequest
        length = httprequest.content_length
        if length is not None and length > MAX_BODY_BYTES:
            raise ApiError(413, "body_too_large", _("The body is larger than %(max)s bytes.", max=MAX_BODY_BYTES))
        try:
            raw = httprequest.get_data(cache=True)
        except RequestEntityTooLarge:  # a chunked body without Content-Length
            raw = None
        if raw is None or len(raw) > MAX_BODY_BYTES:
            raise ApiError(413, "body_too_large", _("The body is larger than %(max)s bytes.", max=MAX_BODY_BYTES))
        client = self._authenticate(env, raw)
        if httprequest.mimetype != "application/json":
            raise ApiError(
                415,
                "unsupported_media_type",
                _("The body must be JSON sent as application/json."),
                {"content_type": httprequest.headers.get("Content-Type") or None},
            )
        key = httprequest.headers.get("Idempotency-Key")
        if not key:
            raise ApiError(400, "idempotency_key_missing", _("The Idempotency-Key header is required."))
        if not IDEMPOTENCY_KEY_RE.fullmatch(key):
            raise ApiError(
                400,
                "idempotency_key_invalid",
                _("The Idempotency-Key header must be 1 to 128 visible ASCII characters."),
            )
        try:
            payload = parse_json(raw)
        except JsonError as error:
            raise ApiError(400, "malformed_json", str(error)) from error
        status, body, headers = env["hc.inbound.event"]._hc_receive(client, key, raw, payload)
        return _json(status, body, headers)

    def _get_event(self, env, event_id):
        client = self._authenticate(env, b"")
        if not EVENT_ID_RE.fullmatch(event_id):
            raise ApiError(404, "not_found", _("This client sent no event with this id."), {"event_id": event_id})
        event = env["hc.inbound.event"].search([("client_id", "=", client.id), ("event_id", "=", event_id)], limit=1)
        if not event:
            raise ApiError(404, "not_found", _("This client sent no event with this id."), {"event_id": event_id})
        return _json(200, event._hc_status_body())

    def _openapi(self, env):
        self._authenticate(env, b"")
        return _json(200, openapi_document(request.httprequest.host_url))

    # ------------------------------------------------------------------
    # Authentication
    # ------------------------------------------------------------------
    def _authenticate(self, env, raw_body):
        """Check the signature headers; return the client or raise a 401/429 ``ApiError``."""
        headers = request.httprequest.headers
        # Without the key no secret can be checked: say so the same way for every client.
        _secret_box()
        public_id = headers.get("X-HC-Client")
        if not public_id:
            raise ApiError(401, "unauthorized", _("The X-HC-Client header is missing."), {"check": "client"})
        try:
            check_timestamp(headers.get("X-HC-Timestamp"), time.time())
        except SignatureError as error:
            raise ApiError(401, "unauthorized", error.message, {"check": error.check}) from error
        timestamp = headers["X-HC-Timestamp"]
        signature = headers.get("X-HC-Signature")
        if not signature:
            raise ApiError(401, "unauthorized", _("The X-HC-Signature header is missing."), {"check": "signature"})
        if not SIGNATURE_RE.fullmatch(signature):
            raise ApiError(
                401,
                "unauthorized",
                _("The X-HC-Signature header must be v1= followed by 64 lowercase hexadecimal digits."),
                {"check": "signature"},
            )
        client = env["hc.api.client"]
        if PUBLIC_ID_RE.fullmatch(public_id):
            client = client.search([("public_id", "=", public_id), ("active", "=", True)], limit=1)
        path = request.httprequest.path
        query = request.httprequest.query_string
        if client:
            valid = client._hc_signature_matches(signature, timestamp, raw_body, path, query)
        else:
            valid = signature_matches(signature, [_DUMMY_SECRET], timestamp, raw_body, path, query) and False
        if not valid:
            raise ApiError(401, "unauthorized", _("Unknown client or bad signature."), {"check": "signature"})
        wait = client._hc_rate_limit_hit()
        if wait:
            raise ApiError(
                429,
                "rate_limited",
                _("Too many requests: at most %(limit)s a minute.", limit=client.rate_limit),
                {"retry_after": wait},
                {"Retry-After": str(wait)},
            )
        return client
