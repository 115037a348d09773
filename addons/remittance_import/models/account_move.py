from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    hc_remittance_claim_ids = fields.One2many(
        comodel_name="hc.remittance.claim", inverse_name="invoice_id", string="Remittance History", readonly=True
    )
    hc_remittance_count = fields.Integer(compute="_compute_hc_remittance_count", string="Remittances")

    def _compute_hc_remittance_count(self):
        counts = dict(
            self.env["hc.remittance.claim"]._read_group([("invoice_id", "in", self.ids)], ["invoice_id"], ["__count"])
        )
        for move in self:
            move.hc_remittance_count = counts.get(move, 0)

    def action_hc_view_remittances(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("remittance_import.action_hc_remittance_claim")
        action["domain"] = [("invoice_id", "=", self.id)]
        action["context"] = {}
        return action
