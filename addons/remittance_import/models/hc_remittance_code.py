from odoo import fields, models


class HcRemittanceCode(models.Model):
    _name = "hc.remittance.code"
    _description = "Remittance Code (CARC / RARC)"
    _order = "code_type, code"
    _rec_names_search = ["code", "name"]

    code_type = fields.Selection(
        selection=[("carc", "Claim Adjustment Reason (CARC)"), ("rarc", "Remittance Advice Remark (RARC)")],
        required=True,
        index=True,
    )
    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Description", required=True, translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_uniq", "unique(code_type, code)", "A code appears once per list.")]

    def _compute_display_name(self):
        for code in self:
            code.display_name = f"{code.code} {code.name}"
