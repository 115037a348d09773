from odoo import _, api, fields, models
from odoo.exceptions import UserError


class HcBillingException(models.Model):
    """Something an external system asked for that cannot be applied silently
    (e.g. a charge cancelled after its encounter was invoiced): a clerk decides."""

    _name = "hc.billing.exception"
    _description = "Billing Exception"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: _("New"), index=True)
    company_id = fields.Many2one(comodel_name="res.company", required=True, index=True, readonly=True)
    kind = fields.Selection(
        selection=[("charge_cancelled", "Charge Cancelled After Invoicing")], required=True, readonly=True
    )
    state = fields.Selection(
        selection=[("open", "Open"), ("resolved", "Resolved")], default="open", required=True, tracking=True, index=True
    )
    description = fields.Text(readonly=True)
    encounter_id = fields.Many2one(comodel_name="hc.encounter", readonly=True, index=True, check_company=True)
    patient_id = fields.Many2one(related="encounter_id.patient_id", string="Patient")
    invoice_id = fields.Many2one(comodel_name="account.move", string="Invoice", readonly=True, check_company=True)
    claim_number = fields.Char(related="invoice_id.hc_claim_number")
    encounter_line_ids = fields.Many2many(comodel_name="hc.encounter.line", string="Service Lines", readonly=True)
    event_id = fields.Many2one(comodel_name="hc.inbound.event", string="Event", readonly=True)
    resolution = fields.Text(tracking=True)
    resolved_by_id = fields.Many2one(comodel_name="res.users", string="Resolved By", readonly=True)
    resolved_at = fields.Datetime(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("hc.billing.exception") or _("New")
        return super().create(vals_list)

    @api.model
    def _hc_open(self, encounter, lines, kind, description, event=None):
        exception = self.create(
            {
                "company_id": encounter.company_id.id,
                "kind": kind,
                "description": description,
                "encounter_id": encounter.id,
                "invoice_id": encounter.invoice_id.id,
                "encounter_line_ids": [(6, 0, lines.ids)],
                "event_id": event.id if event else False,
            }
        )
        clerks = (
            self.env.ref("healthcare_billing_core.group_hc_clerk")
            .sudo()
            .users.filtered(lambda user: encounter.company_id in user.company_ids and not user.share)
        )
        responsible = (event and event.sudo().client_id.responsible_id) or clerks[:1]
        if responsible:
            # Bookkeeping of the exception itself: the technical user only creates it.
            exception.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=responsible.id,
                summary=_("Resolve billing exception %(name)s", name=exception.name),
            )
        encounter.message_post(
            body=_(
                "Billing exception %(link)s: %(description)s", link=exception._get_html_link(), description=description
            )
        )
        self.env["hc.audit.log"]._hc_log(exception, "billing_exception.opened", {"kind": kind, "lines": lines.ids})
        return exception

    def action_resolve(self):
        for exception in self:
            if exception.state != "open":
                raise UserError(_("Billing exception %(name)s is already resolved.", name=exception.name))
            if not exception.resolution:
                raise UserError(_("Write how billing exception %(name)s was resolved first.", name=exception.name))
        self.write({"state": "resolved", "resolved_by_id": self.env.user.id, "resolved_at": fields.Datetime.now()})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        for exception in self:
            self.env["hc.audit.log"]._hc_log(
                exception, "billing_exception.resolved", {"resolution": exception.resolution}
            )
        return True

    def action_reopen(self):
        self.write({"state": "open", "resolved_by_id": False, "resolved_at": False})
        return True
