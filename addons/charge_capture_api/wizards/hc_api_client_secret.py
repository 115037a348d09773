from odoo import fields, models


class HcApiClientSecret(models.TransientModel):
    """Shows a new secret once: the form is opened with it in its defaults and
    closed without saving, so the secret in clear is never stored."""

    _name = "hc.api.client.secret"
    _description = "API Client Secret"

    client_id = fields.Many2one(comodel_name="hc.api.client", string="Client", readonly=True)
    public_id = fields.Char(related="client_id.public_id")
    secret = fields.Char(readonly=True)
