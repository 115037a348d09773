from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class HcPriceOverride(models.TransientModel):
    """A supervisor sets the price of an invoice line by hand, with a reason."""

    _name = "hc.price.override"
    _description = "Override a Line Price"

    move_line_id = fields.Many2one(comodel_name="account.move.line", string="Invoice Line", required=True)
    move_id = fields.Many2one(related="move_line_id.move_id")
    currency_id = fields.Many2one(related="move_line_id.currency_id")
    old_price_unit = fields.Float(related="move_line_id.price_unit", string="Current Unit Price")
    pricing_exception = fields.Char(related="move_line_id.hc_pricing_exception")
    price_unit = fields.Float(string="New Unit Price", required=True, digits="Product Price")
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "account.move.line" and self.env.context.get("active_id"):
            line = self.env["account.move.line"].browse(self.env.context["active_id"])
            values.update(move_line_id=line.id, price_unit=line.price_unit)
        return values

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("healthcare_billing_core.group_hc_supervisor"):
            raise AccessError(_("Only a billing supervisor can override a price."))
        line = self.move_line_id
        if line.move_id.state != "draft":
            raise UserError(_("Only the lines of a draft invoice can be overridden."))
        old = line.price_unit
        line.with_context(hc_pricing=True).write(
            {"price_unit": self.price_unit, "hc_pricing_exception": False, "hc_price_overridden": True}
        )
        self.env["hc.audit.log"]._hc_log(
            line.move_id,
            "price.override",
            {
                "line_id": line.id,
                "code": line.hc_encounter_line_id.code,
                "old": old,
                "new": self.price_unit,
                "reason": self.reason,
                "exception": self.pricing_exception or False,
            },
        )
        line.move_id.message_post(
            body=_(
                "Price of %(label)s overridden from %(old)s to %(new)s: %(reason)s",
                label=line.name,
                old=old,
                new=self.price_unit,
                reason=self.reason,
            )
        )
        line.move_id._hc_after_price_override(line)
        return {"type": "ir.actions.act_window_close"}
