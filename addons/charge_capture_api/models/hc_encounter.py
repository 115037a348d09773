from odoo import fields, models


class HcEncounter(models.Model):
    _inherit = "hc.encounter"

    hc_api_client_id = fields.Many2one(
        comodel_name="hc.api.client",
        string="API Client",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The API client whose event created this encounter.",
    )

    def _hc_notification_ref(self):
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name,
            "source_system": self.source_system or None,
            "external_id": self.external_id or None,
            "state": self.state,
        }

    def _hc_after_invoice(self, invoice):
        result = super()._hc_after_invoice(invoice)
        self.env["hc.webhook.subscription"]._hc_notify(
            "encounter.invoiced",
            self.company_id,
            {"encounter": self._hc_notification_ref(), "invoice": invoice._hc_notification_ref()},
            client=self.sudo().hc_api_client_id,
        )
        return result
