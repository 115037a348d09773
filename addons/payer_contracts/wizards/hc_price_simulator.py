from decimal import Decimal

from odoo import _, api, fields, models

from ..pricing import PricingLine


class HcPriceSimulator(models.TransientModel):
    """What would this payer pay for this service? The contract in force and the rule used."""

    _name = "hc.price.simulator"
    _description = "Price Simulator"

    payer_id = fields.Many2one(
        comodel_name="res.partner", string="Payer", required=True, domain=[("hc_is_payer", "=", True)]
    )
    facility_id = fields.Many2one(comodel_name="hc.facility", string="Facility")
    company_id = fields.Many2one(comodel_name="res.company", default=lambda self: self.env.company, required=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_of_service = fields.Date(required=True, default=fields.Date.context_today)
    product_id = fields.Many2one(
        comodel_name="product.product", string="Service", domain=[("hc_is_billable_service", "=", True)]
    )
    code = fields.Char(compute="_compute_from_product", store=True, readonly=False, required=True)
    modifiers = fields.Char(help="Comma-separated, e.g. QW")
    units = fields.Float(default=1.0, required=True)
    charge_amount = fields.Monetary(compute="_compute_from_product", store=True, readonly=False)

    contract_id = fields.Many2one(comodel_name="hc.payer.contract", compute="_compute_result")
    expected_amount = fields.Monetary(compute="_compute_result")
    billed_amount = fields.Monetary(compute="_compute_result", help="What the invoice would show.")
    method = fields.Char(compute="_compute_result")
    fee_line_id = fields.Many2one(comodel_name="hc.fee.schedule.line", compute="_compute_result", string="Rule Used")
    no_rate_reason = fields.Char(compute="_compute_result")

    @api.depends("product_id", "units")
    def _compute_from_product(self):
        for wizard in self:
            if wizard.product_id:
                wizard.code = wizard.product_id.hc_service_code
                wizard.charge_amount = wizard.currency_id.round(wizard.product_id.lst_price * wizard.units)

    @api.depends("payer_id", "facility_id", "date_of_service", "code", "modifiers", "units", "charge_amount")
    def _compute_result(self):
        for wizard in self:
            wizard.update(
                {
                    "contract_id": False,
                    "expected_amount": 0.0,
                    "billed_amount": wizard.charge_amount,
                    "method": False,
                    "fee_line_id": False,
                    "no_rate_reason": False,
                }
            )
            if not (wizard.payer_id and wizard.date_of_service and wizard.code and wizard.units > 0):
                continue
            contract = self.env["hc.payer.contract"]._hc_find_contract(
                wizard.payer_id, wizard.facility_id, wizard.date_of_service, wizard.company_id
            )
            if not contract:
                wizard.no_rate_reason = _("No active contract for this payer on this date.")
                continue
            modifiers = tuple(m.strip().upper() for m in (wizard.modifiers or "").split(",") if m.strip())
            result = contract._hc_price_index().price(
                PricingLine(
                    date_of_service=wizard.date_of_service,
                    code=wizard.code,
                    units=Decimal(str(wizard.units)),
                    charge_amount=Decimal(str(wizard.charge_amount)),
                    modifiers=modifiers,
                )
            )
            wizard.contract_id = contract
            wizard.method = result.method
            wizard.fee_line_id = result.rule_id or False
            wizard.no_rate_reason = result.reason
            if result.has_rate:
                wizard.expected_amount = float(result.amount)
                if contract.invoice_basis == "contracted":
                    wizard.billed_amount = float(result.amount)
