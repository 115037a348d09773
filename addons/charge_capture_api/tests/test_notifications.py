import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.tests import tagged

from ..signing import signature_matches
from .common import ChargeCaptureCommon


class Receiver:
    """An HTTP server on loopback that records notifications and answers given statuses."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"receiver error")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@tagged("post_install", "-at_install")
class TestNotifications(ChargeCaptureCommon):
    def setUp(self):
        super().setUp()
        self.receiver = Receiver()
        self.addCleanup(self.receiver.close)
        self.subscription = self.env["hc.webhook.subscription"].create(
            {
                "client_id": self.api_client.id,
                "url": self.receiver.url,
                "event_type_ids": [(6, 0, self.env["hc.api.event.type"].search([("direction", "=", "outbound")]).ids)],
                "max_attempts": 3,
            }
        )
        self.company.hc_auto_billing = True

    def _deliveries(self):
        return self.env["hc.webhook.delivery"].search([("subscription_id", "=", self.subscription.id)], order="id")

    def _invoice_through_the_api(self):
        self._post(self._charge_event())
        self._post(self._encounter_event("encounter.completed", "EVT-2"), key="key-2")
        return self.env["hc.encounter"].search([("external_id", "=", "ACC-1")]).invoice_id

    def test_encounter_invoiced_is_delivered_signed(self):
        invoice = self._invoice_through_the_api()
        delivery = self._deliveries()
        self.assertEqual(delivery.mapped("event_type"), ["encounter.invoiced"])
        self.assertEqual(delivery.state, "pending")
        self.env["hc.webhook.delivery"]._cron_deliver()
        self.assertEqual((delivery.state, delivery.attempts, delivery.last_status), ("delivered", 1, 200))
        [request] = self.receiver.received
        headers = request["headers"]
        self.assertTrue(
            signature_matches(headers["X-HC-Signature"], [self.secret], headers["X-HC-Timestamp"], request["body"])
        )
        self.assertEqual(headers["X-HC-Delivery"], delivery.delivery_uuid)
        body = json.loads(request["body"])
        self.assertEqual(body["delivery_id"], delivery.delivery_uuid)
        self.assertEqual(body["data"]["invoice"]["claim_number"], invoice.hc_claim_number)
        self.assertEqual(body["data"]["encounter"]["external_id"], "ACC-1")
        # No patient data in notifications.
        self.assertNotIn(b"Lovelace", request["body"])
        self.assertNotIn(b"MRN-API-1", request["body"])

    def test_invoice_posted_and_claim_paid_come_from_where_they_happen(self):
        invoice = self._invoice_through_the_api()
        invoice.action_post()
        payment = {
            "event_id": "PAY-EVT-1",
            "event_type": "payment.received",
            "occurred_at": "2025-06-10T09:00:00Z",
            "source_system": "GATEWAY",
            "facility": {"code": "TLAB"},
            "payment_id": "PAY-1",
            "claim_number": invoice.hc_claim_number,
            "amount": invoice.amount_total,
            "currency": invoice.currency_id.name,
            "paid_at": "2025-06-10T08:59:00Z",
            "method": "ach",
        }
        self.assertEqual(self._post(payment, key="pay-1").status_code, 201)
        self.assertEqual(
            self._deliveries().mapped("event_type"), ["encounter.invoiced", "invoice.posted", "claim.paid"]
        )

    def test_failed_delivery_is_retried_then_given_up(self):
        self.receiver.statuses = [500, 503, 500, 500]
        self._invoice_through_the_api()
        delivery = self._deliveries()
        self.env["hc.webhook.delivery"]._cron_deliver()
        self.assertEqual((delivery.state, delivery.attempts, delivery.last_status), ("pending", 1, 500))
        self.assertIn("receiver error", delivery.last_answer)
        # Not due yet: nothing is sent.
        self.env["hc.webhook.delivery"]._cron_deliver()
        self.assertEqual(len(self.receiver.received), 1)
        delivery.sudo().next_attempt_at = "2000-01-01 00:00:00"
        self.env["hc.webhook.delivery"]._cron_deliver()
        self.assertEqual((delivery.state, delivery.attempts, delivery.last_status), ("pending", 2, 503))
        delivery.sudo().next_attempt_at = "2000-01-01 00:00:00"
        self.env["hc.webhook.delivery"]._cron_deliver()
        self.assertEqual((delivery.state, delivery.attempts), ("failed", 3))
        # Every retry carried the same delivery id.
        self.assertEqual({r["headers"]["X-HC-Delivery"] for r in self.receiver.received}, {delivery.delivery_uuid})

    def test_retry_after_a_500_then_delivered(self):
        self.receiver.statuses = [500]
        self._invoice_through_the_api()
        delivery = self._deliveries()
        self.env["hc.webhook.delivery"]._cron_deliver()
        delivery.sudo().next_attempt_at = "2000-01-01 00:00:00"
        self.env["hc.webhook.delivery"]._cron_deliver()
        self.assertEqual((delivery.state, delivery.attempts, delivery.last_status), ("delivered", 2, 200))

    def test_unreachable_receiver_is_recorded(self):
        self.subscription.url = "http://127.0.0.1:9/closed"
        self._invoice_through_the_api()
        delivery = self._deliveries()
        self.env["hc.webhook.delivery"]._cron_deliver()
        self.assertEqual((delivery.state, delivery.last_status), ("pending", 0))
        self.assertIn("ConnectionError", delivery.last_answer)

    def test_other_clients_records_are_not_notified_unless_company_scope(self):
        other, _secret = self._create_client("Other LIS")
        other_subscription = self.env["hc.webhook.subscription"].create(
            {
                "client_id": other.id,
                "url": self.receiver.url,
                "event_type_ids": [(6, 0, self.env.ref("charge_capture_api.event_type_encounter_invoiced").ids)],
            }
        )
        self._invoice_through_the_api()
        self.assertFalse(other_subscription.delivery_ids)
        other_subscription.scope = "company"
        encounter = self._create_encounter()
        encounter.action_ready()
        self.assertEqual(other_subscription.delivery_ids.mapped("event_type"), ["encounter.invoiced"])
        self.assertEqual(len(self._deliveries()), 1)  # the first client's scope is its own records

    def test_event_dead_and_claim_denied_notifications(self):
        from odoo.tools import mute_logger  # noqa: PLC0415

        self.api_client.max_attempts = 1
        invoice = self._invoice_through_the_api()
        late = self._charge_event(
            "EVT-3", charges=[{"line_id": "L9", "code_system": "CPT", "code": "36416", "units": 1}]
        )
        with mute_logger("odoo.addons.charge_capture_api.models.hc_inbound_event"):
            self.assertEqual(self._post(late, key="key-3").json()["state"], "dead")
        dead = self._deliveries().filtered(lambda delivery: delivery.event_type == "event.dead")
        self.assertEqual(dead.data["event"]["event_id"], "EVT-3")
        # claim.denied is emitted by the method that records a denial (remittance import).
        invoice._hc_notify("claim.denied", {"reason_codes": ["CO-50"]})
        denied = self._deliveries().filtered(lambda delivery: delivery.event_type == "claim.denied")
        self.assertEqual(denied.data["invoice"]["claim_number"], invoice.hc_claim_number)
        self.assertEqual(denied.data["reason_codes"], ["CO-50"])
