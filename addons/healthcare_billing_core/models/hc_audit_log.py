import json
import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)


class HcAuditLog(models.Model):
    """Append-only audit trail shared by every healthcare billing addon.

    Records are written through :meth:`_hc_log` only.  Nobody but the
    superuser may modify or delete them: access rights grant read only, and
    ``write``/``unlink`` refuse any environment that is not in superuser mode.
    """

    _name = "hc.audit.log"
    _description = "Healthcare Billing Audit Record"
    _order = "id desc"
    _rec_name = "action"

    user_id = fields.Many2one(comodel_name="res.users", string="User", readonly=True, index=True)
    company_id = fields.Many2one(comodel_name="res.company", string="Company", readonly=True, index=True)
    res_model = fields.Char(string="Model", readonly=True, index=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", readonly=True, index=True)
    res_name = fields.Char(string="Record", readonly=True)
    action = fields.Char(readonly=True, required=True, index=True)
    details = fields.Json(string="Details (JSON)", readonly=True)
    details_text = fields.Text(string="Details", compute="_compute_details_text")

    @api.depends("details")
    def _compute_details_text(self):
        for record in self:
            record.details_text = (
                json.dumps(record.details, indent=2, sort_keys=True, default=str) if record.details else False
            )

    @api.model
    def _hc_log(self, records, action, details=None):
        """Append one audit record per record of ``records``.

        :param records: the records concerned (may be empty for a global action)
        :param action: a short dotted verb, e.g. ``encounter.invoiced``
        :param details: a JSON-serialisable dict
        """
        user = self.env.user
        details = json.loads(json.dumps(details or {}, default=str))
        targets = records or [None]
        vals_list = []
        for record in targets:
            company = record.company_id if record is not None and "company_id" in record._fields else self.env.company
            vals_list.append(
                {
                    "user_id": user.id,
                    "company_id": company.id or self.env.company.id,
                    "res_model": record._name if record is not None else False,
                    "res_id": record.id if record is not None else False,
                    "res_name": record.display_name if record is not None else False,
                    "action": action,
                    "details": details,
                }
            )
        return self.sudo().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(_("Audit records cannot be modified."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_superuser(self):
        if not self.env.su:
            raise AccessError(_("Audit records cannot be deleted."))

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
