from odoo import fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    hc_api_client_id = fields.Many2one(
        comodel_name="hc.api.client", string="API Client", readonly=True, copy=False, index="btree_not_null"
    )
    hc_external_payment_id = fields.Char(
        string="Gateway Payment ID", readonly=True, copy=False, help="The payment's id at the payment gateway."
    )

    _sql_constraints = [
        (
            "hc_external_payment_uniq",
            "unique(hc_api_client_id, hc_external_payment_id)",
            "This gateway payment was already recorded.",
        ),
    ]
