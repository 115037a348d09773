"""The schemas of the API's requests and answers (JSON Schema, OpenAPI 3.1).

These dictionaries are both what the server validates (``validator.validate``)
and what ``GET /openapi.json`` publishes, so the two cannot drift apart.
"""

MAX_BODY_BYTES = 1024 * 1024
MAX_CHARGES = 500

EVENT_TYPES = ("charge.created", "charge.cancelled", "encounter.completed", "payment.received")
NOTIFICATION_TYPES = ("encounter.invoiced", "invoice.posted", "claim.paid", "claim.denied", "event.dead")
EVENT_STATES = ("queued", "processed", "failed", "dead", "ignored")

IDENTIFIER = {
    "type": "string",
    "minLength": 1,
    "maxLength": 128,
    "pattern": r"^[A-Za-z0-9._:\-]+$",
    "x-pattern-message": "may only contain letters, digits, '.', '_', ':' and '-'",
}


def _text(max_length, min_length=1, **extra):
    return {"type": "string", "minLength": min_length, "maxLength": max_length, **extra}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties, required=(), **extra):
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
        **extra,
    }


_ENVELOPE = {
    "event_id": dict(IDENTIFIER, description="The event's identifier, unique per API client."),
    "event_type": {"type": "string", "enum": list(EVENT_TYPES)},
    "occurred_at": {"type": "string", "format": "date-time", "description": "When the event happened (ISO 8601)."},
    "source_system": _text(64, description="The sending system, e.g. the LIS name; scopes encounter ids."),
    "facility": _object({"code": _text(32, description="The facility code configured in Odoo.")}, ["code"]),
}
_ENVELOPE_REQUIRED = ["event_id", "event_type", "occurred_at", "source_system", "facility"]


def _event(event_type, properties, required, description):
    envelope = dict(_ENVELOPE, event_type={"type": "string", "enum": [event_type]})
    return _object(
        {**envelope, **properties},
        _ENVELOPE_REQUIRED + list(required),
        description=description,
    )


SCHEMAS = {
    "PatientIdentifier": _object(
        {
            "type": {
                "type": "string",
                "enum": ["MR", "PI", "AN", "PT"],
                "description": "MR medical record number, PI patient id, AN account number, PT patient external id.",
            },
            "value": _text(64),
        },
        ["type", "value"],
    ),
    "Address": _object(
        {
            "street": _text(128),
            "street2": _text(128),
            "city": _text(64),
            "state": _text(3, description="State code, e.g. CA."),
            "zip": _text(
                10, pattern=r"^\d{5}(-\d{4})?$", **{"x-pattern-message": "must be a ZIP code (12345 or 12345-6789)"}
            ),
            "country": _text(
                2, min_length=2, pattern=r"^[A-Z]{2}$", **{"x-pattern-message": "must be an ISO 3166 country code"}
            ),
        }
    ),
    "Patient": _object(
        {
            "identifiers": {
                "type": "array",
                "minItems": 1,
                "maxItems": 10,
                "items": _ref("PatientIdentifier"),
                "description": "At least the medical record number (type MR) at the facility.",
            },
            "first_name": _text(128),
            "last_name": _text(128),
            "birth_date": {"type": "string", "format": "date"},
            "sex": {"type": "string", "enum": ["F", "M", "O", "U"]},
            "address": _ref("Address"),
            "phone": _text(32),
        },
        ["identifiers", "first_name", "last_name", "birth_date", "sex"],
    ),
    "Coverage": _object(
        {
            "payer_id": _text(32, description="The payer's code (its payer id) configured in Odoo."),
            "member_id": _text(64),
            "group_number": _text(64),
            "priority": {
                "type": "integer",
                "minimum": 1,
                "maximum": 3,
                "description": "1 primary, 2 secondary, 3 tertiary.",
            },
        },
        ["payer_id", "member_id", "priority"],
    ),
    "OrderingProvider": _object(
        {"npi": _text(10, pattern=r"^\d{10}$", **{"x-pattern-message": "must be 10 digits"}), "name": _text(128)},
        ["npi", "name"],
    ),
    "EncounterDetails": _object(
        {
            "external_id": dict(IDENTIFIER, description="The encounter (accession) id in the source system."),
            "date_of_service": {"type": "string", "format": "date"},
            "ordering_provider": _ref("OrderingProvider"),
            "diagnosis_codes": {"type": "array", "maxItems": 12, "items": _text(8), "description": "ICD-10-CM codes."},
        },
        ["external_id", "date_of_service"],
    ),
    "EncounterRef": _object({"external_id": IDENTIFIER}, ["external_id"]),
    "Charge": _object(
        {
            "line_id": dict(IDENTIFIER, description="The line id in the source system, unique within the encounter."),
            "code_system": {"type": "string", "enum": ["CPT", "HCPCS", "LOINC", "internal"]},
            "code": _text(16),
            "modifiers": {
                "type": "array",
                "maxItems": 4,
                "items": _text(
                    2, min_length=2, pattern=r"^[A-Z0-9]{2}$", **{"x-pattern-message": "must be two letters or digits"}
                ),
            },
            "units": {"type": "number", "exclusiveMinimum": 0, "maximum": 9999, "multipleOf": 0.001},
            "charge_amount": {
                "type": "number",
                "minimum": 0,
                "maximum": 10000000,
                "multipleOf": 0.01,
                "description": "The line's total charge; the chargemaster price times units when omitted.",
            },
            "description": _text(256),
        },
        ["line_id", "code_system", "code", "units"],
    ),
    "ChargeCreated": _event(
        "charge.created",
        {
            "patient": _ref("Patient"),
            "coverages": {"type": "array", "maxItems": 3, "items": _ref("Coverage")},
            "encounter": _ref("EncounterDetails"),
            "charges": {"type": "array", "minItems": 1, "maxItems": MAX_CHARGES, "items": _ref("Charge")},
        },
        ["patient", "encounter", "charges"],
        "Services performed: upserts the patient, coverages, encounter and lines.",
    ),
    "ChargeCancelled": _event(
        "charge.cancelled",
        {
            "encounter": _ref("EncounterRef"),
            "line_ids": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_CHARGES,
                "uniqueItems": True,
                "items": IDENTIFIER,
            },
        },
        ["encounter", "line_ids"],
        "Cancels lines; on an invoiced encounter it opens a billing exception instead.",
    ),
    "EncounterCompleted": _event(
        "encounter.completed",
        {"encounter": _ref("EncounterRef")},
        ["encounter"],
        "Marks the encounter ready to bill.",
    ),
    "PaymentReceived": _event(
        "payment.received",
        {
            "payment_id": dict(IDENTIFIER, description="The gateway's payment id, unique per API client."),
            "claim_number": _text(32),
            "invoice_number": _text(64),
            "amount": {"type": "number", "exclusiveMinimum": 0, "maximum": 10000000, "multipleOf": 0.01},
            "currency": _text(
                3, min_length=3, pattern=r"^[A-Z]{3}$", **{"x-pattern-message": "must be an ISO 4217 code"}
            ),
            "paid_at": {"type": "string", "format": "date-time"},
            "method": {"type": "string", "enum": ["card", "ach", "check", "cash", "other"]},
        },
        ["payment_id", "amount", "currency", "paid_at", "method"],
        "A payment from a gateway, registered and reconciled on a patient invoice.",
    ),
}
SCHEMAS["PaymentReceived"]["anyOf"] = [{"required": ["claim_number"]}, {"required": ["invoice_number"]}]

SCHEMAS["Event"] = {
    "oneOf": [_ref(name) for name in ("ChargeCreated", "ChargeCancelled", "EncounterCompleted", "PaymentReceived")],
    "discriminator": {
        "propertyName": "event_type",
        "mapping": {
            "charge.created": "#/components/schemas/ChargeCreated",
            "charge.cancelled": "#/components/schemas/ChargeCancelled",
            "encounter.completed": "#/components/schemas/EncounterCompleted",
            "payment.received": "#/components/schemas/PaymentReceived",
        },
    },
}

_NULLABLE_ID = {"type": ["integer", "null"]}
SCHEMAS["References"] = {
    "type": "object",
    "description": "The Odoo records the event created or touched; only those that exist are present.",
    "properties": {
        "patient": {"type": "object", "properties": {"id": {"type": "integer"}}, "required": ["id"]},
        "encounter": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "external_id": {"type": "string"},
                "state": {"type": "string", "enum": ["draft", "ready", "invoiced", "cancelled"]},
            },
            "required": ["id", "name", "external_id", "state"],
        },
        "lines": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "line_id": {"type": "string"},
                    "code": {"type": "string"},
                    "units": {"type": "number"},
                    "charge_amount": {"type": "number"},
                    "cancelled": {"type": "boolean"},
                },
                "required": ["id", "line_id", "code", "units", "charge_amount", "cancelled"],
            },
        },
        "invoice": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "number": {"type": ["string", "null"]},
                "claim_number": {"type": "string"},
                "state": {"type": "string"},
                "payment_state": {"type": "string"},
                "amount_total": {"type": "number"},
                "amount_residual": {"type": "number"},
            },
            "required": ["id", "claim_number", "state", "amount_total"],
        },
        "payment": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "amount": {"type": "number"},
                "reconciled_amount": {"type": "number"},
                "unapplied_amount": {"type": "number", "description": "Left as a customer credit."},
            },
            "required": ["id", "amount", "reconciled_amount", "unapplied_amount"],
        },
        "billing_exception": {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "state": {"type": "string"}},
            "required": ["id", "name", "state"],
        },
    },
}
SCHEMAS["EventStatus"] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer", "description": "The event's id in Odoo."},
        "event_id": {"type": "string"},
        "event_type": {"type": "string", "enum": list(EVENT_TYPES)},
        "state": {"type": "string", "enum": list(EVENT_STATES)},
        "attempts": {"type": "integer"},
        "last_error": {"type": ["string", "null"]},
        "received_at": {"type": "string", "format": "date-time"},
        "processed_at": {"type": ["string", "null"]},
        "next_attempt_at": {"type": ["string", "null"]},
        "status_url": {"type": "string"},
        "message": {"type": ["string", "null"]},
        "references": _ref("References"),
    },
    "required": [
        "id",
        "event_id",
        "event_type",
        "state",
        "attempts",
        "last_error",
        "received_at",
        "processed_at",
        "status_url",
        "references",
    ],
}
SCHEMAS["Error"] = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {
                    "description": "Validation errors as a list of {path, message}; other errors may give an object.",
                    "anyOf": [
                        {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"path": {"type": "string"}, "message": {"type": "string"}},
                                "required": ["path", "message"],
                            },
                        },
                        {"type": "object"},
                    ],
                },
            },
            "required": ["code", "message", "details"],
        }
    },
    "required": ["error"],
}
SCHEMAS["Health"] = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": ["ok", "error"]},
        "database": {"type": "string", "enum": ["ok", "unreachable"]},
    },
    "required": ["status", "database"],
}
SCHEMAS["Notification"] = {
    "type": "object",
    "description": "The body of an outbound notification POSTed to a subscribed URL.",
    "properties": {
        "delivery_id": {"type": "string", "description": "Unique per delivery; the same on every retry."},
        "event_type": {"type": "string", "enum": list(NOTIFICATION_TYPES)},
        "created_at": {"type": "string", "format": "date-time"},
        "data": {"type": "object"},
    },
    "required": ["delivery_id", "event_type", "created_at", "data"],
}


def event_schema():
    return {"$ref": "#/components/schemas/Event"}
