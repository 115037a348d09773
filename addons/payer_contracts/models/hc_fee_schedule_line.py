from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..pricing import FeeRule
from ..pricing.engine import METHOD_PER_LINE, METHOD_PER_UNIT, METHOD_PERCENT


class HcFeeScheduleLine(models.Model):
    _name = "hc.fee.schedule.line"
    _description = "Fee Schedule Line"
    _order = "contract_id, code, modifier, date_from"

    contract_id = fields.Many2one(
        comodel_name="hc.payer.contract", string="Contract", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    product_id = fields.Many2one(
        comodel_name="product.product",
        string="Service",
        index=True,
        domain=[("hc_is_billable_service", "=", True)],
        help="The service priced; the code is taken from it. Leave empty to price a code only.",
    )
    code = fields.Char(compute="_compute_code", store=True, readonly=False, precompute=True, required=True, index=True)
    modifier = fields.Char(size=2, help="Price this code only on lines carrying this modifier.")
    method = fields.Selection(
        selection=[
            (METHOD_PER_UNIT, "Fixed amount per unit"),
            (METHOD_PERCENT, "Percentage of charge"),
            (METHOD_PER_LINE, "Fixed amount per line"),
        ],
        required=True,
        default=METHOD_PER_UNIT,
    )
    amount = fields.Monetary(currency_field="currency_id", help="For fixed amounts.")
    percent = fields.Float(string="Percentage", digits=(5, 2), help="For a percentage of the charge.")
    date_from = fields.Date(string="Valid From", help="Optional validity inside the contract.")
    date_to = fields.Date(string="Valid To")
    max_units = fields.Float(string="Max Billable Units", help="Units beyond this are not paid. 0: no limit.")

    @api.depends("product_id")
    def _compute_code(self):
        for line in self:
            line.code = line.product_id.hc_service_code or line.code

    @api.constrains("amount", "percent", "max_units", "date_from", "date_to", "modifier")
    def _check_values(self):
        for line in self:
            if line.amount < 0 or line.percent < 0 or line.max_units < 0:
                raise ValidationError(_("Fee schedule amounts, percentages and units cannot be negative."))
            if line.date_from and line.date_to and line.date_to < line.date_from:
                raise ValidationError(_("A fee schedule line cannot end before it starts."))
            if line.modifier and (len(line.modifier) != 2 or not line.modifier.isalnum()):
                raise ValidationError(_("A modifier has two letters or digits."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            for key in ("code", "modifier"):
                if vals.get(key):
                    vals[key] = vals[key].strip().upper()
            if vals.get("code") and not vals.get("product_id"):
                # Imported schedules name codes: link the lab's service when it has one.
                vals["product_id"] = self._hc_service_for_code(vals["code"]).id
        lines = super().create(vals_list)
        self.env.registry.clear_cache()  # cached price indexes
        return lines

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    @api.model
    def _hc_service_for_code(self, code):
        return self.env["product.product"].search(
            [("hc_service_code", "=", code), ("company_id", "in", [False, self.env.company.id])], limit=1
        )

    def _hc_fee_rule(self):
        self.ensure_one()
        value = self.percent if self.method == METHOD_PERCENT else self.amount
        return FeeRule(
            rule_id=self.id,
            code=self.code,
            method=self.method,
            value=Decimal(str(value)),
            modifier=self.modifier or "",
            date_from=self.date_from or None,
            date_to=self.date_to or None,
            max_units=Decimal(str(self.max_units)) if self.max_units else None,
        )
