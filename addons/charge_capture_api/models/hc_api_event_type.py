from odoo import fields, models


class HcApiEventType(models.Model):
    _name = "hc.api.event.type"
    _description = "API Event Type"
    _order = "direction, code"
    _rec_name = "code"

    code = fields.Char(required=True, index=True)
    name = fields.Char(required=True, translate=True)
    direction = fields.Selection(
        selection=[("inbound", "Received"), ("outbound", "Notified")],
        required=True,
        help="Received: events external systems send us. Notified: notifications we send to subscribed URLs.",
    )

    _sql_constraints = [("code_uniq", "unique(code)", "An event type code must be unique.")]
