from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    hc_auto_billing = fields.Boolean(related="company_id.hc_auto_billing", readonly=False)
    hc_billing_batch_size = fields.Integer(related="company_id.hc_billing_batch_size", readonly=False)
