from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _hc_notification_ref(self):
        self.ensure_one()
        return {
            "id": self.id,
            "number": self.name if self.name and self.name != "/" else None,
            "claim_number": self.hc_claim_number or None,
            "state": self.state,
            "payment_state": self.payment_state,
            "amount_total": self.amount_total,
            "amount_residual": self.amount_residual,
            "currency": self.currency_id.name,
        }

    def _hc_notify(self, event_type, extra=None):
        """Queue the notification ``event_type`` (e.g. ``claim.denied``) about these claims."""
        claims = self.filtered("hc_encounter_id")
        if not claims or not self.env["hc.webhook.subscription"]._hc_has_subscribers(event_type):
            return
        for move in claims:
            data = {"invoice": move._hc_notification_ref(), "encounter": move.hc_encounter_id._hc_notification_ref()}
            data.update(extra or {})
            self.env["hc.webhook.subscription"]._hc_notify(
                event_type, move.company_id, data, client=move.hc_encounter_id.sudo().hc_api_client_id
            )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(lambda move: move.move_type == "out_invoice")._hc_notify("invoice.posted")
        return posted
