import logging

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)


class HcWebhookSubscription(models.Model):
    _name = "hc.webhook.subscription"
    _description = "Notification Subscription"
    _order = "client_id, id"
    _check_company_auto = True

    client_id = fields.Many2one(
        comodel_name="hc.api.client", string="Client", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="client_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True)
    url = fields.Char(string="URL", required=True, help="HTTPS URL that receives the notifications (POST, JSON).")
    event_type_ids = fields.Many2many(
        comodel_name="hc.api.event.type",
        string="Notified Events",
        domain=[("direction", "=", "outbound")],
    )
    scope = fields.Selection(
        selection=[("own", "Records from this client's events"), ("company", "All records of the company")],
        required=True,
        default="own",
        help="Own: only encounters, invoices and events that came from this client. Company: every one.",
    )
    max_attempts = fields.Integer(default=8, help="Delivery attempts before a notification is given up.")
    retry_base_seconds = fields.Integer(string="First Retry Delay (s)", default=60)
    delivery_ids = fields.One2many(
        comodel_name="hc.webhook.delivery", inverse_name="subscription_id", string="Deliveries"
    )

    @api.constrains("url")
    def _check_url(self):
        for subscription in self:
            if not (subscription.url or "").startswith(("https://", "http://")):
                raise ValidationError(
                    _("A notification URL must start with https:// (or http:// on a private network).")
                )

    @api.constrains("max_attempts", "retry_base_seconds")
    def _check_numbers(self):
        for subscription in self:
            if subscription.max_attempts < 1 or subscription.retry_base_seconds < 1:
                raise ValidationError(_("There must be at least one attempt and a positive retry delay."))

    @api.model
    def _hc_has_subscribers(self, event_type):
        """One query telling whether anybody listens to ``event_type`` (hot paths ask first)."""
        return bool(
            self.sudo().search_count(
                [("event_type_ids.code", "=", event_type), ("client_id.active", "=", True)], limit=1
            )
        )

    @api.model
    def _hc_notify(self, event_type, company_or_client, data, client=None):
        """Queue the notification ``event_type`` for every matching subscription.

        ``client`` is the API client the record came from (if any), used by
        subscriptions scoped to their own records.  The deliveries are created
        in the current transaction (none if it rolls back) and sent by the
        Scheduled Action, which this call triggers.
        """
        company = company_or_client.company_id if company_or_client._name == "hc.api.client" else company_or_client
        subscriptions = self.sudo().search(
            [("company_id", "=", company.id), ("event_type_ids.code", "=", event_type), ("client_id.active", "=", True)]
        )
        subscriptions = subscriptions.filtered(
            lambda sub: sub.scope == "company" or (client and sub.client_id == client)
        )
        if not subscriptions:
            return self.env["hc.webhook.delivery"]
        deliveries = (
            self.env["hc.webhook.delivery"]
            .sudo()
            .create([{"subscription_id": sub.id, "event_type": event_type, "data": data} for sub in subscriptions])
        )
        self.env.ref("charge_capture_api.cron_deliver_notifications").sudo()._trigger()
        _logger.info("Notification %s queued for %s subscription(s)", event_type, len(subscriptions))
        return deliveries
