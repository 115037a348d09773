from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import ormcache

from odoo.addons.healthcare_billing_core.domains import in_force_domain, overlap_domain

from ..pricing import ContractTerms, PriceIndex
from ..pricing.engine import UNLISTED_NONE, UNLISTED_PERCENT


class HcPayerContract(models.Model):
    _name = "hc.payer.contract"
    _description = "Payer Contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "payer_id, date_from desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, tracking=True)
    payer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Payer",
        required=True,
        index=True,
        tracking=True,
        domain=[("hc_is_payer", "=", True)],
    )
    company_id = fields.Many2one(
        comodel_name="res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    facility_id = fields.Many2one(
        comodel_name="hc.facility",
        string="Facility",
        index=True,
        check_company=True,
        tracking=True,
        help="Leave empty for a contract that covers every facility.",
    )
    date_from = fields.Date(string="Valid From", required=True, tracking=True)
    date_to = fields.Date(string="Valid To", tracking=True, help="Leave empty for an open-ended contract.")
    state = fields.Selection(
        selection=[("draft", "Draft"), ("active", "Active"), ("expired", "Expired"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    unlisted_method = fields.Selection(
        selection=[(UNLISTED_PERCENT, "Percentage of charge"), (UNLISTED_NONE, "No price (pricing exception)")],
        string="Unlisted Codes",
        default=UNLISTED_NONE,
        required=True,
        tracking=True,
        help="How codes without a fee schedule line are priced.",
    )
    unlisted_percent = fields.Float(string="Unlisted Percentage", digits=(5, 2), tracking=True)
    invoice_basis = fields.Selection(
        selection=[("gross", "Gross charges"), ("contracted", "Contracted rate")],
        default="gross",
        required=True,
        tracking=True,
        help="Gross charges: invoices show the chargemaster price and the contract rate is the expected "
        "reimbursement (insurers). Contracted rate: invoices are issued at the contract rate (direct-billed clients).",
    )
    copay_amount = fields.Monetary(string="Copay per Encounter", currency_field="currency_id", tracking=True)
    coinsurance_percent = fields.Float(string="Coinsurance %", digits=(5, 2), tracking=True)
    line_ids = fields.One2many(
        comodel_name="hc.fee.schedule.line", inverse_name="contract_id", string="Fee Schedule", copy=True
    )
    line_count = fields.Integer(compute="_compute_line_count")
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Contract Manager",
        default=lambda self: self.env.user,
        tracking=True,
        help="Receives the reminder activity 30 days before the contract ends.",
    )
    expiry_reminder_sent = fields.Boolean(copy=False, readonly=True)

    @api.depends("line_ids")
    def _compute_line_count(self):
        for contract in self:
            contract.line_count = len(contract.line_ids)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for contract in self:
            if contract.date_to and contract.date_to < contract.date_from:
                raise ValidationError(_("A contract cannot end before it starts."))

    def write(self, vals):
        result = super().write(vals)
        if {"unlisted_method", "unlisted_percent", "company_id", "line_ids"} & set(vals):
            self.env.registry.clear_cache()
        return result

    @api.constrains("unlisted_percent", "coinsurance_percent")
    def _check_percentages(self):
        for contract in self:
            if contract.unlisted_percent < 0 or not 0 <= contract.coinsurance_percent <= 100:
                raise ValidationError(_("Percentages must be positive, and coinsurance at most 100%."))

    @api.constrains("state", "payer_id", "facility_id", "date_from", "date_to", "company_id")
    def _check_active_overlap(self):
        for contract in self.filtered(lambda c: c.state == "active"):
            domain = [
                ("id", "!=", contract.id),
                ("state", "=", "active"),
                ("payer_id", "=", contract.payer_id.id),
                ("company_id", "=", contract.company_id.id),
                ("facility_id", "=", contract.facility_id.id),
                *overlap_domain(contract.date_from, contract.date_to),
            ]
            other = self.search(domain, limit=1)
            if other:
                raise ValidationError(
                    _(
                        "Contract %(name)s overlaps the active contract %(other)s of the same payer and facility.",
                        name=contract.name,
                        other=other.name,
                    )
                )

    def action_activate(self):
        for contract in self:
            if contract.state != "draft":
                raise UserError(_("Only a draft contract can be activated."))
        self.write({"state": "active"})
        self.env["hc.audit.log"]._hc_log(self, "contract.activated")
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        self.env["hc.audit.log"]._hc_log(self, "contract.cancelled")
        return True

    def action_reset_draft(self):
        self.filtered(lambda c: c.state == "cancelled").write({"state": "draft"})
        return True

    def action_simulate_change(self):
        """Show what this contract would change on the open draft invoices it would price."""
        self.ensure_one()
        simulation = self.env["hc.contract.simulation"]._hc_simulate(self)
        return {
            "type": "ir.actions.act_window",
            "name": _("Contract Change Simulation"),
            "res_model": "hc.contract.simulation",
            "res_id": simulation.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_renew(self):
        """Copy this contract with its fee schedule into a new draft period."""
        self.ensure_one()
        if not self.date_to:
            raise UserError(_("An open-ended contract cannot be renewed: set its end date first."))
        length = relativedelta(self.date_to, self.date_from)
        date_from = self.date_to + relativedelta(days=1)
        renewal = self.copy(
            {
                "name": _("%(name)s (renewal)", name=self.name),
                "date_from": date_from,
                "date_to": date_from + length,
            }
        )
        renewal.line_ids.filtered("date_to").write({"date_from": False, "date_to": False})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": renewal.id,
            "view_mode": "form",
        }

    @api.model
    def _cron_expire_contracts(self, reminder_days=30):
        """Scheduled Action: expire ended contracts, remind of those ending soon."""
        today = fields.Date.context_today(self)
        ended = self.search([("state", "=", "active"), ("date_to", "<", today)])
        for contract in ended:
            contract.state = "expired"
            contract.message_post(body=_("The contract ended on %(date)s and is now expired.", date=contract.date_to))
        if ended:
            self.env["hc.audit.log"]._hc_log(ended, "contract.expired")
        ending = self.search(
            [
                ("state", "=", "active"),
                ("expiry_reminder_sent", "=", False),
                ("date_to", ">=", today),
                ("date_to", "<=", today + relativedelta(days=reminder_days)),
            ]
        )
        for contract in ending:
            contract.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=contract.date_to,
                summary=_(
                    "Contract %(name)s ends on %(date)s: renew or renegotiate",
                    name=contract.name,
                    date=contract.date_to,
                ),
                user_id=(contract.user_id or self.env.ref("base.user_admin")).id,
            )
        ending.expiry_reminder_sent = True
        return len(ended), len(ending)

    @api.model
    def _hc_find_contract(self, payer, facility, on_date, company):
        """The active contract of ``payer`` on ``on_date``: the facility's own first, else the all-facilities one."""
        contracts = self.search(
            [
                ("state", "=", "active"),
                ("payer_id", "=", payer.id),
                ("company_id", "=", company.id),
                ("facility_id", "in", [facility.id, False]),
                *in_force_domain(on_date),
            ]
        )
        return contracts.sorted(lambda c: not c.facility_id)[:1]

    def _hc_price_index(self):
        """The pricing engine's index of this contract's terms, built once and cached.

        The cache is cleared whenever a contract or a fee schedule line changes,
        so pricing an invoice costs dictionary lookups, not a read of the whole
        fee schedule.
        """
        self.ensure_one()
        return self._hc_price_index_cached(self.id)

    @api.model
    @ormcache("contract_id")
    def _hc_price_index_cached(self, contract_id):
        contract = self.sudo().browse(contract_id)
        return contract._hc_build_price_index()

    def _hc_build_price_index(self):
        terms = ContractTerms(
            rules=tuple(line._hc_fee_rule() for line in self.line_ids),
            unlisted_method=self.unlisted_method,
            unlisted_percent=self.unlisted_percent,
            rounding=self.currency_id.rounding,
        )
        return PriceIndex(terms)
