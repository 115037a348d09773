"""The OpenAPI 3.1 document of the API, built from the schemas the server checks."""

import copy

from .events import EVENT_TYPES, MAX_BODY_BYTES, SCHEMAS

BASE_PATH = "/api/healthcare/v1"
VERSION = "1.0.0"

_AUTH_PARAMETERS = [
    {"$ref": "#/components/parameters/Client"},
    {"$ref": "#/components/parameters/Timestamp"},
    {"$ref": "#/components/parameters/Signature"},
]


def _error(description, headers=None):
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if headers:
        response["headers"] = headers
    return response


_RATE_LIMITED = _error(
    "Too many requests for this client; retry after the given delay.",
    {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}},
)
_UNAUTHORIZED = _error("A signature check failed: missing header, stale timestamp, unknown client or bad signature.")


def _event_status(description, replay=False):
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EventStatus"}}},
    }
    if replay:
        response["headers"] = {
            "Idempotent-Replayed": {
                "description": "`true` when this is the stored answer to an earlier request with the same key.",
                "schema": {"type": "string", "enum": ["true"]},
            }
        }
    return response


def openapi_document(server_url=""):
    """The OpenAPI 3.1 document; ``server_url`` is the public base URL of Odoo."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Healthcare billing event API",
            "version": VERSION,
            "description": (
                "Signed, idempotent events from laboratory systems, EHRs and payment gateways. "
                "Every call but /health is signed: X-HC-Signature is `v1=` followed by the lowercase hex "
                "HMAC-SHA256, with the client's secret, of `{timestamp}.{raw body}`, or for GET of "
                "`{timestamp}.{path}?{query}`. The timestamp must be within 300 seconds of the server clock. "
                f"Bodies are JSON (application/json), at most {MAX_BODY_BYTES} bytes. Event types: "
                + ", ".join(EVENT_TYPES)
                + "."
            ),
        },
        "servers": [{"url": (server_url or "").rstrip("/") + BASE_PATH}],
        "paths": {
            "/events": {
                "post": {
                    "operationId": "postEvent",
                    "summary": "Send one event",
                    "parameters": [*_AUTH_PARAMETERS, {"$ref": "#/components/parameters/IdempotencyKey"}],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Event"}}},
                    },
                    "responses": {
                        "201": _event_status("Processed (or the replay of an earlier processed request).", True),
                        "202": _event_status(
                            "Accepted and queued: the client processes events deferred, or processing failed and "
                            "will be retried. Follow status_url.",
                            True,
                        ),
                        "400": _error("Malformed JSON, or the Idempotency-Key header is missing or invalid."),
                        "401": _UNAUTHORIZED,
                        "403": _error(
                            "The client may not send this event type, or for this facility, or its technical user "
                            "lacks the rights the event needs."
                        ),
                        "409": _error(
                            "The Idempotency-Key was used with another body, or the event_id (or payment_id) "
                            "was already received under another key."
                        ),
                        "413": _error(f"The body is larger than {MAX_BODY_BYTES} bytes."),
                        "415": _error("The body is not application/json."),
                        "422": _error("The event is not valid: every problem is listed in details as {path, message}."),
                        "429": _RATE_LIMITED,
                    },
                }
            },
            "/events/{event_id}": {
                "get": {
                    "operationId": "getEvent",
                    "summary": "The state of an event sent by this client",
                    "parameters": [
                        *_AUTH_PARAMETERS,
                        {
                            "name": "event_id",
                            "in": "path",
                            "required": True,
                            "schema": copy.deepcopy(SCHEMAS["ChargeCreated"]["properties"]["event_id"]),
                        },
                    ],
                    "responses": {
                        "200": _event_status("The event."),
                        "401": _UNAUTHORIZED,
                        "404": _error("This client sent no event with this id."),
                        "429": _RATE_LIMITED,
                    },
                }
            },
            "/health": {
                "get": {
                    "operationId": "getHealth",
                    "summary": "Liveness and database reachability (no authentication, no data)",
                    "security": [],
                    "responses": {
                        "200": {
                            "description": "The service answers.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}},
                        },
                        "503": {
                            "description": "The database is not reachable.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}},
                        },
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This document",
                    "parameters": list(_AUTH_PARAMETERS),
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "401": _UNAUTHORIZED,
                        "429": _RATE_LIMITED,
                    },
                }
            },
        },
        "webhooks": {
            "notification": {
                "post": {
                    "summary": "An outbound notification to a subscribed URL, signed like requests",
                    "parameters": [
                        *_AUTH_PARAMETERS,
                        {
                            "name": "X-HC-Delivery",
                            "in": "header",
                            "required": True,
                            "description": "The delivery id (also in the body), for the receiver's idempotency.",
                            "schema": {"type": "string"},
                        },
                    ],
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Notification"}}}
                    },
                    "responses": {"2XX": {"description": "Delivered; any other answer is retried with backoff."}},
                }
            }
        },
        "components": {
            "schemas": copy.deepcopy(SCHEMAS),
            "parameters": {
                "Client": {
                    "name": "X-HC-Client",
                    "in": "header",
                    "required": True,
                    "description": "The API client's public id.",
                    "schema": {"type": "string", "minLength": 1, "maxLength": 64},
                },
                "Timestamp": {
                    "name": "X-HC-Timestamp",
                    "in": "header",
                    "required": True,
                    "description": "Unix time in seconds, within 300 s of the server clock.",
                    "schema": {"type": "string", "pattern": r"^\d{1,12}$"},
                },
                "Signature": {
                    "name": "X-HC-Signature",
                    "in": "header",
                    "required": True,
                    "description": "`v1=` + lowercase hex HMAC-SHA256 of the signed message.",
                    "schema": {"type": "string", "pattern": "^v1=[0-9a-f]{64}$"},
                },
                "IdempotencyKey": {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": True,
                    "description": "1 to 128 characters; the same key and body give the first answer again.",
                    "schema": {"type": "string", "minLength": 1, "maxLength": 128},
                },
            },
            "securitySchemes": {
                "hmacSignature": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-HC-Signature",
                    "description": "HMAC-SHA256 request signature (see the description above).",
                }
            },
        },
        "security": [{"hmacSignature": []}],
    }
