from odoo import fields, models


class HcRemittancePlb(models.Model):
    _name = "hc.remittance.plb"
    _description = "Provider-Level Adjustment (PLB)"
    _order = "id"

    payment_id = fields.Many2one(comodel_name="hc.remittance.payment", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="payment_id.company_id", store=True)
    currency_id = fields.Many2one(related="payment_id.currency_id")
    provider_id = fields.Char(string="Provider")
    reason_code = fields.Char(string="Reason", required=True)
    reference = fields.Char()
    amount = fields.Monetary(currency_field="currency_id", help="Positive: withheld from the payment.")
