import json
import time
from datetime import date
from unittest.mock import patch

from odoo.tests import HttpCase
from odoo.tools import config

from odoo.addons.healthcare_billing_core.tests.common import HealthcareBillingCommon

from ..apispec import BASE_PATH, openapi_document, validate
from ..signing import sign

TEST_SECRET_KEY = "test-key-of-the-charge-capture-api-tests"
ALL_TYPES = ("charge.created", "charge.cancelled", "encounter.completed", "payment.received")


class ChargeCaptureCommon(HealthcareBillingCommon, HttpCase):
    """An API client with a secret, its technical user, and signed HTTP helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The key that encrypts client secrets comes from the configuration file.
        cls.startClassPatcher(patch.dict(config.options, {"hc_secret_key": TEST_SECRET_KEY}))
        cls.tech_user = cls._create_user("hc_api_tech", "group_hc_integration")
        cls.api_client, cls.secret = cls._create_client("Test LIS")
        cls.document = openapi_document()

    @classmethod
    def _create_client(cls, name, types=ALL_TYPES, **values):
        client = cls.env["hc.api.client"].create(
            {
                "name": name,
                "user_id": cls.tech_user.id,
                "responsible_id": cls.env.user.id,
                "allowed_event_type_ids": [
                    (6, 0, cls.env["hc.api.event.type"].search([("code", "in", list(types))]).ids)
                ],
                "rate_limit": 0,
                **values,
            }
        )
        return client, client._hc_set_new_secret(keep_previous=False)

    # ------------------------------------------------------------------
    # HTTP
    # ------------------------------------------------------------------
    def _request(
        self,
        method,
        path,
        raw=b"",
        headers=None,
        client=None,
        secret=None,
        timestamp=None,
        sign_it=True,
        signed_as=None,
        without=(),
    ):
        """Send a signed request; ``signed_as`` (raw body, path) signs something else
        than what is sent, ``without`` drops headers."""
        client = client or self.api_client
        timestamp = str(int(time.time()) if timestamp is None else timestamp)
        all_headers = {}
        if sign_it:
            signed_raw, signed_path = signed_as or (raw, path)
            url_path, _sep, query = signed_path.partition("?")
            all_headers.update(
                {
                    "X-HC-Client": client.public_id,
                    "X-HC-Timestamp": timestamp,
                    "X-HC-Signature": sign(secret or self.secret, timestamp, signed_raw, BASE_PATH + url_path, query),
                }
            )
        all_headers.update(headers or {})
        for name in without:
            del all_headers[name]
        return self.opener.request(
            method, self.base_url() + BASE_PATH + path, data=raw, headers=all_headers, timeout=60, allow_redirects=False
        )

    def _post(self, body, key="key-1", content_type="application/json", raw=None, headers=None, **kwargs):
        raw = raw if raw is not None else json.dumps(body).encode()
        all_headers = {"Content-Type": content_type}
        if key is not None:
            all_headers["Idempotency-Key"] = key
        all_headers.update(headers or {})
        return self._request("POST", "/events", raw=raw, headers=all_headers, **kwargs)

    def _get(self, path, **kwargs):
        return self._request("GET", path, **kwargs)

    def assertApiResponse(self, response, status, schema=None):
        """The status, and a body that matches the documented schema of that answer."""
        self.assertEqual(response.status_code, status, response.text[:2000])
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        body = response.json()
        if schema is None:
            schema = "EventStatus" if status in (200, 201, 202) else "Error"
        errors = validate(body, {"$ref": f"#/components/schemas/{schema}"}, self.document)
        self.assertFalse(errors, f"answer does not match the {schema} schema: {errors}")
        return body

    def assertApiError(self, response, status, code):
        body = self.assertApiResponse(response, status, "Error")
        self.assertEqual(body["error"]["code"], code, body)
        return body["error"]

    # ------------------------------------------------------------------
    # Payloads
    # ------------------------------------------------------------------
    def _charge_event(self, event_id="EVT-1", accession="ACC-1", charges=None, **overrides):
        body = {
            "event_id": event_id,
            "event_type": "charge.created",
            "occurred_at": "2025-06-02T10:15:00Z",
            "source_system": "TESTLIS",
            "facility": {"code": "TLAB"},
            "patient": {
                "identifiers": [{"type": "MR", "value": "MRN-API-1"}],
                "first_name": "Ada",
                "last_name": "Lovelace",
                "birth_date": "1980-12-10",
                "sex": "F",
                "address": {"street": "1 Main St", "city": "Springfield", "zip": "62701", "country": "US"},
                "phone": "+1 555 0100",
            },
            "coverages": [{"payer_id": "THP01", "member_id": "MEM-API-1", "group_number": "G1", "priority": 1}],
            "encounter": {
                "external_id": accession,
                "date_of_service": "2025-06-02",
                "ordering_provider": {"npi": "1234567893", "name": "Dr. Test"},
                "diagnosis_codes": ["E11.9", "Z00.00"],
            },
            "charges": charges
            or [
                {"line_id": "L1", "code_system": "CPT", "code": "85027", "units": 1},
                {"line_id": "L2", "code_system": "CPT", "code": "80047", "units": 1, "charge_amount": 40.5},
            ],
        }
        body.update(overrides)
        return body

    def _encounter_event(self, event_type, event_id, accession="ACC-1", **extra):
        return {
            "event_id": event_id,
            "event_type": event_type,
            "occurred_at": "2025-06-02T12:00:00+02:00",
            "source_system": "TESTLIS",
            "facility": {"code": "TLAB"},
            "encounter": {"external_id": accession},
            **extra,
        }

    def _events(self, client=None):
        return self.env["hc.inbound.event"].search([("client_id", "=", (client or self.api_client).id)])

    def _record_counts(self):
        return {
            model: self.env[model].search_count([])
            for model in (
                "hc.inbound.event",
                "hc.encounter",
                "hc.encounter.line",
                "hc.coverage",
                "hc.patient.identifier",
                "res.partner",
                "account.payment",
                "hc.billing.exception",
            )
        }


DATE_OF_SERVICE = date(2025, 6, 2)
