import json
import time
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tools import config, mute_logger

from .common import ChargeCaptureCommon


@tagged("post_install", "-at_install")
class TestApiAuthentication(ChargeCaptureCommon):
    def test_health_needs_no_authentication(self):
        response = self.opener.get(self.base_url() + "/api/healthcare/v1/health", timeout=30)
        self.assertApiResponse(response, 200, "Health")
        self.assertEqual(response.json(), {"status": "ok", "database": "ok"})

    def test_signed_get_of_the_openapi_document(self):
        response = self._get("/openapi.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["openapi"], "3.1.0")
        unsigned = self._get("/openapi.json", sign_it=False)
        self.assertApiError(unsigned, 401, "unauthorized")

    def test_query_string_is_signed(self):
        body = self._post(self._charge_event()).json()
        good = self._get(f"/events/{body['event_id']}?verbose=1")
        self.assertApiResponse(good, 200)
        # Signed without the query, sent with it: refused.
        path = f"/events/{body['event_id']}"
        response = self._get(f"{path}?verbose=1", signed_as=(b"", path))
        self.assertApiError(response, 401, "unauthorized")

    def test_missing_headers(self):
        for missing, check in (
            ("X-HC-Client", "client"),
            ("X-HC-Timestamp", "timestamp"),
            ("X-HC-Signature", "signature"),
        ):
            response = self._post(self._charge_event(), without=[missing])
            error = self.assertApiError(response, 401, "unauthorized")
            self.assertEqual(error["details"]["check"], check, missing)
        self.assertFalse(self._events())

    def test_stale_and_future_timestamps(self):
        now = int(time.time())
        for timestamp in (now - 301, now + 301, "12ab"):
            response = self._post(self._charge_event(), timestamp=timestamp)
            error = self.assertApiError(response, 401, "unauthorized")
            self.assertEqual(error["details"]["check"], "timestamp")
        # Just inside the window on both sides.
        self.assertEqual(self._post(self._charge_event(), timestamp=now - 290).status_code, 201)
        self.assertEqual(
            self._post(self._charge_event(event_id="EVT-2"), key="key-2", timestamp=now + 290).status_code, 201
        )

    def test_tampered_body_wrong_secret_unknown_and_inactive_client(self):
        body = self._charge_event()
        signed_for = json.dumps(dict(body, event_id="EVT-OTHER")).encode()
        tampered = self._post(body, key="k1", signed_as=(signed_for, "/events"))
        wrong_secret = self._post(body, secret="not-the-secret")
        unknown = self._post(body, client=self.env["hc.api.client"].new({"public_id": "hcc_nobody"}))
        self.api_client.active = False
        inactive = self._post(body)
        bodies = [
            self.assertApiError(response, 401, "unauthorized")
            for response in (tampered, wrong_secret, unknown, inactive)
        ]
        # Nothing tells an unknown client from a bad signature.
        self.assertEqual(len({json.dumps(error, sort_keys=True) for error in bodies}), 1)
        self.assertEqual(bodies[0]["message"], "Unknown client or bad signature.")
        self.assertFalse(self._events())

    def test_rotated_secret_during_and_after_overlap(self):
        old_secret = self.secret
        self.api_client.rotation_overlap_hours = 2
        new_secret = self.api_client._hc_set_new_secret(keep_previous=True)
        self.assertNotEqual(new_secret, old_secret)
        self.assertEqual(self._post(self._charge_event(), key="a", secret=old_secret).status_code, 201)
        self.assertEqual(self._post(self._charge_event(event_id="EVT-2"), key="b", secret=new_secret).status_code, 201)
        self.api_client.previous_secret_valid_until = fields.Datetime.now() - timedelta(seconds=1)
        response = self._post(self._charge_event(event_id="EVT-3"), key="c", secret=old_secret)
        self.assertApiError(response, 401, "unauthorized")
        self.assertEqual(self._post(self._charge_event(event_id="EVT-3"), key="c", secret=new_secret).status_code, 201)

    def test_secret_is_stored_encrypted(self):
        stored = self.api_client.sudo().secret_encrypted
        self.assertTrue(stored)
        self.assertNotIn(self.secret, stored)
        self.env.cr.execute("SELECT secret_encrypted FROM hc_api_client WHERE id = %s", [self.api_client.id])
        self.assertNotIn(self.secret, self.env.cr.fetchone()[0])

    def test_rate_limit_answers_429_with_retry_after(self):
        # The limit counts requests per clock minute: stay within one minute.
        if time.time() % 60 > 50:
            time.sleep(61 - time.time() % 60)
        self.api_client.rate_limit = 2
        for index in range(2):
            self.assertEqual(self._get("/openapi.json").status_code, 200, index)
        response = self._get("/openapi.json")
        error = self.assertApiError(response, 429, "rate_limited")
        retry_after = int(response.headers["Retry-After"])
        self.assertTrue(1 <= retry_after <= 60)
        self.assertEqual(error["details"]["retry_after"], retry_after)

    @mute_logger("odoo.addons.charge_capture_api.controllers.main")
    def test_missing_server_key_is_a_server_error_not_an_authentication_success(self):
        with patch.dict(config.options, {"hc_secret_key": ""}):
            response = self._post(self._charge_event())
        self.assertApiError(response, 500, "server_misconfigured")
        self.assertFalse(self._events())
