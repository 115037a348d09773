import datetime
import logging
import os
import secrets
import time

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import config

from ..signing import SecretBox, SecretKeyError, signature_matches

_logger = logging.getLogger(__name__)

RATE_WINDOW_SECONDS = 60


def _secret_box():
    return SecretBox(config.get("hc_secret_key") or os.environ.get("HC_SECRET_KEY"))


class HcApiClient(models.Model):
    _name = "hc.api.client"
    _description = "API Client"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, default=lambda self: self.env.company, tracking=True
    )
    public_id = fields.Char(
        string="Client ID",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: "hcc_" + secrets.token_hex(8),
        help="Sent by the client in the X-HC-Client header.",
    )
    secret_encrypted = fields.Char(readonly=True, copy=False, groups="base.group_system")
    previous_secret_encrypted = fields.Char(readonly=True, copy=False, groups="base.group_system")
    previous_secret_valid_until = fields.Datetime(
        string="Previous Secret Valid Until",
        readonly=True,
        copy=False,
        help="After a rotation, the previous secret is accepted until this moment.",
    )
    has_secret = fields.Boolean(compute="_compute_has_secret", string="Secret Set")
    secret_rotated_at = fields.Datetime(readonly=True, copy=False)
    rotation_overlap_hours = fields.Integer(
        string="Rotation Overlap (hours)",
        default=24,
        help="How long the previous secret stays valid after a rotation.",
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Technical User",
        required=True,
        domain=lambda self: [("groups_id", "in", self.env.ref("healthcare_billing_core.group_hc_integration").ids)],
        help="Events are processed with this user's rights. It must have the Healthcare Billing Integration role.",
    )
    responsible_id = fields.Many2one(
        comodel_name="res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        help="Receives an activity when an event of this client is dead.",
    )
    allowed_event_type_ids = fields.Many2many(
        comodel_name="hc.api.event.type",
        relation="hc_api_client_event_type_rel",
        string="Allowed Event Types",
        domain=[("direction", "=", "inbound")],
        help="Event types this client may send. Empty: none.",
    )
    facility_ids = fields.Many2many(
        comodel_name="hc.facility",
        string="Allowed Facilities",
        check_company=True,
        help="Facilities this client may send events for. Empty: every facility of the company.",
    )
    processing_mode = fields.Selection(
        selection=[("immediate", "Immediate"), ("deferred", "Deferred (queued)")],
        required=True,
        default="immediate",
        help="Immediate: events are processed in the request (201). Deferred: stored and processed by the "
        "Scheduled Action (202).",
    )
    rate_limit = fields.Integer(
        string="Rate Limit (requests/minute)", default=600, help="0 means no limit. Exceeding it answers 429."
    )
    max_attempts = fields.Integer(
        default=5, help="Processing attempts of an event before it is dead (an activity goes to the responsible)."
    )
    retry_base_seconds = fields.Integer(
        string="First Retry Delay (s)", default=60, help="Delay before the first retry; doubled at each attempt."
    )
    payment_journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Payment Journal",
        check_company=True,
        domain=[("type", "in", ("bank", "cash"))],
        help="Journal of payments received from this client (payment gateways). Default: the first bank journal.",
    )
    subscription_ids = fields.One2many(
        comodel_name="hc.webhook.subscription", inverse_name="client_id", string="Notification Subscriptions"
    )
    event_ids = fields.One2many(comodel_name="hc.inbound.event", inverse_name="client_id", string="Events")
    event_count = fields.Integer(compute="_compute_event_count")
    failed_event_count = fields.Integer(compute="_compute_event_count")

    _sql_constraints = [("public_id_uniq", "unique(public_id)", "The client ID must be unique.")]

    def init(self):
        # Request counters of the rate limit, one row per client and minute; kept
        # outside the ORM since they are written in their own short transactions.
        self.env.cr.execute(
            """
            CREATE TABLE IF NOT EXISTS hc_api_rate_window (
                client_id integer NOT NULL REFERENCES hc_api_client(id) ON DELETE CASCADE,
                window_start timestamp NOT NULL,
                hits integer NOT NULL,
                PRIMARY KEY (client_id, window_start)
            )
            """
        )

    @api.depends_context("uid")
    def _compute_has_secret(self):
        for client, encrypted in zip(self, self.sudo().mapped("secret_encrypted"), strict=True):
            client.has_secret = bool(encrypted)

    def _compute_event_count(self):
        groups = self.env["hc.inbound.event"]._read_group(
            [("client_id", "in", self.ids)], ["client_id", "state"], ["__count"]
        )
        counts, failed = {}, {}
        for client, state, count in groups:
            counts[client.id] = counts.get(client.id, 0) + count
            if state in ("failed", "dead"):
                failed[client.id] = failed.get(client.id, 0) + count
        for client in self:
            client.event_count = counts.get(client.id, 0)
            client.failed_event_count = failed.get(client.id, 0)

    @api.constrains("user_id")
    def _check_user_id(self):
        integration = self.env.ref("healthcare_billing_core.group_hc_integration")
        for client in self:
            user = client.user_id
            if integration not in user.groups_id:
                raise ValidationError(
                    _("The technical user %(user)s must have the Integration role.", user=user.display_name)
                )
            if user._is_superuser() or user.has_group("base.group_system"):
                raise ValidationError(_("The technical user of an API client must not be an administrator."))
            if client.company_id not in user.company_ids:
                raise ValidationError(_("The technical user must have access to the client's company."))

    @api.constrains("rate_limit", "max_attempts", "retry_base_seconds", "rotation_overlap_hours")
    def _check_numbers(self):
        for client in self:
            if client.rate_limit < 0 or client.rotation_overlap_hours < 0:
                raise ValidationError(_("The rate limit and the rotation overlap cannot be negative."))
            if client.max_attempts < 1 or client.retry_base_seconds < 1:
                raise ValidationError(_("There must be at least one attempt and a positive retry delay."))

    # ------------------------------------------------------------------
    # Secrets
    # ------------------------------------------------------------------
    def _hc_set_new_secret(self, keep_previous):
        """Generate a secret, store it encrypted and return it in clear (shown once)."""
        self.ensure_one()
        try:
            box = _secret_box()
        except SecretKeyError as error:
            raise UserError(str(error)) from error
        secret = secrets.token_urlsafe(32)
        current = self.sudo().secret_encrypted
        now = fields.Datetime.now()
        vals = {"secret_encrypted": box.encrypt(secret), "secret_rotated_at": now}
        if keep_previous and current:
            vals.update(
                previous_secret_encrypted=current,
                previous_secret_valid_until=now + datetime.timedelta(hours=self.rotation_overlap_hours),
            )
        else:
            vals.update(previous_secret_encrypted=False, previous_secret_valid_until=False)
        self.sudo().write(vals)
        self.env["hc.audit.log"]._hc_log(
            self,
            "api_client.secret_rotated" if keep_previous and current else "api_client.secret_created",
            {
                "previous_valid_until": vals.get("previous_secret_valid_until")
                and str(vals["previous_secret_valid_until"])
            },
        )
        return secret

    def _hc_secret_action(self, secret):
        return {
            "type": "ir.actions.act_window",
            "name": _("Client Secret"),
            "res_model": "hc.api.client.secret",
            "view_mode": "form",
            "target": "new",
            "context": {"default_client_id": self.id, "default_secret": secret},
        }

    def action_generate_secret(self):
        """Button: set the first secret (or replace it at once, without overlap)."""
        self.ensure_one()
        self._hc_check_manager()
        return self._hc_secret_action(self._hc_set_new_secret(keep_previous=False))

    def action_rotate_secret(self):
        """Button: new secret; the previous one stays valid for the overlap period."""
        self.ensure_one()
        self._hc_check_manager()
        if not self.has_secret:
            raise UserError(_("This client has no secret to rotate yet."))
        return self._hc_secret_action(self._hc_set_new_secret(keep_previous=True))

    def action_revoke_previous_secret(self):
        self._hc_check_manager()
        self.sudo().write({"previous_secret_encrypted": False, "previous_secret_valid_until": False})
        self.env["hc.audit.log"]._hc_log(self, "api_client.previous_secret_revoked")
        return True

    def _hc_check_manager(self):
        if not self.env.user.has_group("healthcare_billing_core.group_hc_manager"):
            raise UserError(_("Only a Healthcare Billing manager can change API client secrets."))

    def _hc_valid_secrets(self, now=None):
        """The secrets in clear that sign valid requests right now (current, then previous)."""
        self.ensure_one()
        client = self.sudo()
        if not client.secret_encrypted:
            return []
        box = _secret_box()
        valid = [box.decrypt(client.secret_encrypted)]
        now = now or fields.Datetime.now()
        if (
            client.previous_secret_encrypted
            and client.previous_secret_valid_until
            and client.previous_secret_valid_until > now
        ):
            valid.append(box.decrypt(client.previous_secret_encrypted))
        return valid

    def _hc_signature_matches(self, header, timestamp, body=b"", path="", query=""):
        self.ensure_one()
        return signature_matches(header, self._hc_valid_secrets(), timestamp, body, path, query)

    def _hc_signing_secret(self):
        """The secret that signs outbound notifications (the current one)."""
        self.ensure_one()
        valid = self._hc_valid_secrets()
        if not valid:
            raise UserError(_("API client %(name)s has no secret.", name=self.name))
        return valid[0]

    # ------------------------------------------------------------------
    # Authorization and rate limit
    # ------------------------------------------------------------------
    def _hc_allows_event_type(self, event_type):
        self.ensure_one()
        return event_type in self.allowed_event_type_ids.mapped("code")

    def _hc_allows_facility(self, code):
        self.ensure_one()
        return not self.facility_ids or code in self.facility_ids.mapped("code")

    def _hc_rate_limit_hit(self, now=None):
        """Count one request; return the seconds to wait when over the limit, else 0.

        The counter is written in its own short transaction, so that concurrent
        requests of one client do not wait for each other's processing.
        """
        self.ensure_one()
        if self.rate_limit <= 0:
            return 0
        now = now or fields.Datetime.now()
        window = now.replace(second=0, microsecond=0)
        for attempt in range(5):
            try:
                with self.env.registry.cursor() as cr:
                    cr.execute(
                        """
                        INSERT INTO hc_api_rate_window (client_id, window_start, hits) VALUES (%s, %s, 1)
                        ON CONFLICT (client_id, window_start) DO UPDATE SET hits = hc_api_rate_window.hits + 1
                        RETURNING hits
                        """,
                        [self.id, window],
                        log_exceptions=False,
                    )
                    hits = cr.fetchone()[0]
                break
            except psycopg2.errors.SerializationFailure:
                # Two requests of the client counted at once: count again.
                if attempt == 4:
                    raise
                time.sleep(0.01 * (attempt + 1))
        if hits > self.rate_limit:
            return max(1, RATE_WINDOW_SECONDS - (now - window).seconds)
        return 0

    @api.model
    def _cron_purge_rate_windows(self):
        self.env.cr.execute(
            "DELETE FROM hc_api_rate_window WHERE window_start < (now() AT TIME ZONE 'UTC') - interval '1 hour'"
        )
        return True

    # ------------------------------------------------------------------
    # Views
    # ------------------------------------------------------------------
    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("charge_capture_api.action_hc_inbound_event")
        action["domain"] = [("client_id", "=", self.id)]
        action["context"] = {"default_client_id": self.id}
        return action

    def _hc_payment_journal(self):
        self.ensure_one()
        return self.payment_journal_id or self.env["account.journal"].search(
            [("company_id", "=", self.company_id.id), ("type", "=", "bank")], limit=1
        )
