from odoo import fields, models


class HcInboundEventIgnore(models.TransientModel):
    _name = "hc.inbound.event.ignore"
    _description = "Ignore Inbound Events"

    event_ids = fields.Many2many(comodel_name="hc.inbound.event", string="Events")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.event_ids._hc_ignore(self.reason)
        return {"type": "ir.actions.act_window_close"}
