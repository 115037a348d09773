import json
import logging
import time
import uuid

import requests

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..backoff import next_attempt
from ..signing import SecretKeyError, sign

_logger = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5
READ_TIMEOUT = 10


class HcWebhookDelivery(models.Model):
    _name = "hc.webhook.delivery"
    _description = "Notification Delivery"
    _order = "id desc"
    _rec_name = "delivery_uuid"

    subscription_id = fields.Many2one(
        comodel_name="hc.webhook.subscription", required=True, index=True, ondelete="cascade", readonly=True
    )
    client_id = fields.Many2one(related="subscription_id.client_id", store=True, index=True)
    company_id = fields.Many2one(related="subscription_id.company_id", store=True, index=True)
    url = fields.Char(related="subscription_id.url")
    delivery_uuid = fields.Char(
        string="Delivery ID",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: str(uuid.uuid4()),
    )
    event_type = fields.Char(required=True, readonly=True, index=True)
    data = fields.Json(readonly=True)
    state = fields.Selection(
        selection=[("pending", "Pending"), ("delivered", "Delivered"), ("failed", "Given Up")],
        default="pending",
        required=True,
        index=True,
        readonly=True,
    )
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime(readonly=True, index=True, default=fields.Datetime.now)
    last_status = fields.Integer(string="Last HTTP Status", readonly=True)
    last_answer = fields.Text(readonly=True, help="The receiver's last answer (truncated) or the connection error.")
    delivered_at = fields.Datetime(readonly=True)
    body_pretty = fields.Text(string="Body", compute="_compute_body_pretty")

    _sql_constraints = [("delivery_uuid_uniq", "unique(delivery_uuid)", "A delivery ID must be unique.")]

    def _compute_body_pretty(self):
        for delivery in self:
            delivery.body_pretty = json.dumps(delivery._hc_body(), indent=2, sort_keys=True)

    def _hc_body(self):
        self.ensure_one()
        return {
            "delivery_id": self.delivery_uuid,
            "event_type": self.event_type,
            "created_at": self.create_date.isoformat() + "Z" if self.create_date else None,
            "data": self.data or {},
        }

    def _hc_send(self):
        """Send this delivery once and record the answer; never raises for the receiver's faults."""
        self.ensure_one()
        client = self.subscription_id.client_id
        body = json.dumps(self._hc_body(), separators=(",", ":"), sort_keys=True).encode()
        timestamp = str(int(time.time()))
        self.attempts += 1
        status, answer = 0, ""
        try:
            secret = client._hc_signing_secret()
        except (UserError, SecretKeyError) as error:
            secret, answer = None, _("Not sent: %(error)s", error=error)
        if secret:
            status, answer = self._hc_post(client, secret, timestamp, body)
        vals = {"last_status": status, "last_answer": answer}
        if 200 <= status < 300:
            vals.update(state="delivered", delivered_at=fields.Datetime.now(), next_attempt_at=False)
        elif self.attempts >= self.subscription_id.max_attempts:
            vals.update(state="failed", next_attempt_at=False)
        else:
            vals["next_attempt_at"] = next_attempt(
                fields.Datetime.now(), self.subscription_id.retry_base_seconds, self.attempts
            )
        self.write(vals)
        _logger.info(
            "Notification delivery %s (%s) attempt %s: HTTP %s, %s",
            self.id,
            self.event_type,
            self.attempts,
            status or "no answer",
            self.state,
        )
        return self.state == "delivered"

    def _hc_post(self, client, secret, timestamp, body):
        """POST the signed body; return (HTTP status or 0, answer or error text)."""
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "healthcare-billing-notifications/1.0",
            "X-HC-Client": client.public_id,
            "X-HC-Timestamp": timestamp,
            "X-HC-Signature": sign(secret, timestamp, body),
            "X-HC-Delivery": self.delivery_uuid,
            "X-HC-Event": self.event_type,
        }
        try:
            response = requests.post(
                self.subscription_id.url,
                data=body,
                headers=headers,
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                allow_redirects=False,
            )
        except requests.RequestException as error:
            return 0, f"{type(error).__name__}: {error}"[:1000]
        return response.status_code, response.text[:1000]

    @api.model
    def _cron_deliver(self, batch_size=50):
        """Send the pending deliveries that are due (SKIP LOCKED: concurrent runs never send one twice)."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM hc_webhook_delivery
             WHERE state = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= %s)
             ORDER BY id
             LIMIT %s
               FOR NO KEY UPDATE SKIP LOCKED
            """,
            [fields.Datetime.now(), batch_size],
        )
        # Deliveries are the Scheduled Action's own bookkeeping.
        deliveries = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        # Commit after each delivery (not in tests): a batch cut by the time limit
        # keeps the attempts it made; each row is locked again after a commit.
        auto_commit = not self.env.registry.in_test_mode()
        delivered = 0
        for delivery in deliveries:
            if auto_commit:
                self.env.cr.execute(
                    "SELECT id FROM hc_webhook_delivery WHERE id = %s AND state = 'pending' "
                    "FOR NO KEY UPDATE SKIP LOCKED",
                    [delivery.id],
                )
                if not self.env.cr.fetchone():
                    continue
                delivery.invalidate_recordset()
            delivered += delivery._hc_send()
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit  # one delivery, one unit (cron only)
        remaining = self.search_count([("state", "=", "pending"), ("next_attempt_at", "<=", fields.Datetime.now())])
        self.env["ir.cron"]._notify_progress(done=len(deliveries), remaining=remaining)
        return delivered

    def action_retry_now(self):
        for delivery in self:
            if delivery.state == "delivered":
                raise UserError(_("Delivery %(id)s was already delivered.", id=delivery.delivery_uuid))
        self.write({"state": "pending", "next_attempt_at": fields.Datetime.now(), "attempts": 0})
        self.env.ref("charge_capture_api.cron_deliver_notifications")._trigger()
        return True
