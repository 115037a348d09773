from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    hc_encounter_line_id = fields.Many2one(
        comodel_name="hc.encounter.line", string="Encounter Line", index="btree_not_null", copy=False, readonly=True
    )

    def _hc_expected_amount(self):
        """Hook: the payer's expected payment for this claim line (a contract's allowed amount),
        or None when nothing is known.  ``payer_contracts`` fills it; remittance imports use it
        to detect underpayments without depending on that addon."""
        self.ensure_one()
        return None
