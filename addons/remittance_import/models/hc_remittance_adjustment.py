from odoo import fields, models


class HcRemittanceAdjustment(models.Model):
    _name = "hc.remittance.adjustment"
    _description = "Remittance Adjustment (CAS)"
    _order = "id"

    claim_id = fields.Many2one(comodel_name="hc.remittance.claim", ondelete="cascade", index=True)
    service_id = fields.Many2one(comodel_name="hc.remittance.service", ondelete="cascade", index=True)
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    level = fields.Selection(selection=[("claim", "Claim"), ("service", "Service Line")], required=True)
    group_code = fields.Char(string="Group", required=True, index=True)
    reason_code = fields.Char(string="CARC", required=True, index=True)
    carc_id = fields.Many2one(comodel_name="hc.remittance.code", compute="_compute_carc_id", string="Reason")
    amount = fields.Monetary(currency_field="currency_id")
    quantity = fields.Float()
    claim_state = fields.Selection(related="claim_id.state", store=True, string="Claim State")

    def _compute_carc_id(self):
        codes = self.env["hc.remittance.code"].search(
            [("code_type", "=", "carc"), ("code", "in", list(set(self.mapped("reason_code"))))]
        )
        by_code = {c.code: c for c in codes}
        for adjustment in self:
            adjustment.carc_id = by_code.get(adjustment.reason_code)
