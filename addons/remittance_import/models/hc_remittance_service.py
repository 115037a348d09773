from odoo import fields, models


class HcRemittanceService(models.Model):
    _name = "hc.remittance.service"
    _description = "Remittance Service Line (SVC)"
    _order = "claim_id, id"

    claim_id = fields.Many2one(comodel_name="hc.remittance.claim", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    qualifier = fields.Char()
    code = fields.Char(string="Procedure Code", index=True)
    modifiers = fields.Char()
    charge = fields.Monetary(currency_field="currency_id")
    paid = fields.Monetary(currency_field="currency_id")
    units = fields.Float()
    control_number = fields.Char(string="Line Control Number (REF*6R)")
    service_date = fields.Date()
    invoice_line_id = fields.Many2one(comodel_name="account.move.line", string="Invoice Line", index="btree_not_null")
    adjustment_ids = fields.One2many(comodel_name="hc.remittance.adjustment", inverse_name="service_id")

    def _hc_match_lines(self, invoice):
        """REF*6R = the invoice line id when present; else the procedure code, then the modifiers."""
        lines = invoice.invoice_line_ids.filtered(lambda ml: ml.display_type == "product")
        taken = set()
        for service in self:
            match = None
            if service.control_number and service.control_number.isdigit():
                match = lines.filtered(lambda ml, s=service: ml.id == int(s.control_number) and ml.id not in taken)
            if not match:
                same_code = lines.filtered(
                    lambda ml, s=service: ml.product_id.hc_service_code == s.code and ml.id not in taken
                )
                with_modifiers = same_code.filtered(
                    lambda ml, s=service: (
                        (ml.hc_encounter_line_id.modifiers or "").replace(" ", "") == (s.modifiers or "")
                    )
                )
                match = with_modifiers or same_code
            if match:
                service.invoice_line_id = match[0]
                taken.add(match[0].id)
