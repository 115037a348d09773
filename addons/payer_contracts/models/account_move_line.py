from odoo import fields, models


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
