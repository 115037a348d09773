from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    hc_encounter_line_id = fields.Many2one(
        comodel_name="hc.encounter.line", string="Encounter Line", index="btree_not_null", copy=False, readonly=True
    )
