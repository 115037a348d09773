from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        """Notify ``claim.paid`` when a reconciliation pays a claim in full."""
        claims = self.move_id.filtered(lambda move: move.hc_encounter_id and move.move_type == "out_invoice")
        if not claims or not self.env["hc.webhook.subscription"]._hc_has_subscribers("claim.paid"):
            return super().reconcile()
        unpaid = claims.filtered(lambda move: move.payment_state not in ("paid", "in_payment"))
        result = super().reconcile()
        paid = unpaid.filtered(lambda move: move.payment_state in ("paid", "in_payment"))
        paid._hc_notify("claim.paid")
        return result
