from odoo import fields, models


class HcEncounterLine(models.Model):
    _inherit = "hc.encounter.line"

    description = fields.Char(help="The description the source system gave the line.")
