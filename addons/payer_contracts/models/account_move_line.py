from odoo import fields, models
from odoo.tools import float_compare


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    hc_expected_amount = fields.Monetary(
        string="Expected Amount",
        currency_field="currency_id",
        copy=False,
        help="What the payer contract says this line should be paid.",
    )
    hc_fee_line_id = fields.Many2one(
        comodel_name="hc.fee.schedule.line", string="Fee Schedule Line", copy=False, index="btree_not_null"
    )
    hc_pricing_method = fields.Selection(
        selection=[
            ("per_unit", "Fixed amount per unit"),
            ("percent", "Percentage of charge"),
            ("per_line", "Fixed amount per line"),
            ("unlisted_percent", "Unlisted code: percentage of charge"),
        ],
        string="Pricing Method",
        copy=False,
    )
    hc_pricing_exception = fields.Char(
        string="Pricing Exception", copy=False, help="Why the contract gives no rate for this line."
    )
    hc_price_overridden = fields.Boolean(
        string="Price Overridden", copy=False, help="The price was changed by hand after contract pricing."
    )

    def _hc_expected_amount(self):
        self.ensure_one()
        return self.hc_expected_amount if self._hc_is_contract_priced() else super()._hc_expected_amount()

    def _hc_is_contract_priced(self):
        return bool(self.move_id.hc_contract_id and self.hc_encounter_line_id)

    def write(self, vals):
        if "price_unit" not in vals or self.env.context.get("hc_pricing"):
            return super().write(vals)
        changed = self.filtered(
            lambda line: (
                line._hc_is_contract_priced()
                and float_compare(line.price_unit, vals["price_unit"], precision_digits=6) != 0
            )
        )
        old_prices = {line.id: line.price_unit for line in changed}
        result = super().write(vals)
        for line in changed:
            line.hc_price_overridden = True
            self.env["hc.audit.log"]._hc_log(
                line.move_id,
                "price.manual_change",
                {
                    "line_id": line.id,
                    "code": line.hc_encounter_line_id.code,
                    "old": old_prices[line.id],
                    "new": line.price_unit,
                },
            )
        return result
