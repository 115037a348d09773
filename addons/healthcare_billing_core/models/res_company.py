from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    hc_auto_billing = fields.Boolean(
        string="Automatic Billing",
        help="Create the invoice of an encounter as soon as it is ready to bill "
        "(Automation Rule 'Bill encounters when ready to bill').",
    )
    hc_billing_batch_size = fields.Integer(
        string="Billing Batch Size",
        default=100,
        help="How many ready encounters the scheduled billing invoices per batch.",
    )
