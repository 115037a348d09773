import base64
import hashlib
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..remit835 import reading

_logger = logging.getLogger(__name__)

STATES = [
    ("new", "New"),
    ("posted", "Posted"),
    ("partial", "Partially Posted"),
    ("error", "Error"),
    ("duplicate", "Duplicate"),
]


class HcRemittanceFile(models.Model):
    _name = "hc.remittance.file"
    _description = "Remittance File (X12 835)"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="File Name", required=True, readonly=True)
    source_id = fields.Many2one(comodel_name="hc.remittance.source", required=True, readonly=True, index=True)
    company_id = fields.Many2one(related="source_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    attachment_id = fields.Many2one(comodel_name="ir.attachment", readonly=True, copy=False)
    sha256 = fields.Char(string="SHA-256", required=True, readonly=True, index=True, copy=False)
    state = fields.Selection(selection=STATES, default="new", required=True, readonly=True, tracking=True, index=True)
    error_message = fields.Text(readonly=True, copy=False)
    warning_message = fields.Text(readonly=True, copy=False)
    duplicate_of_id = fields.Many2one(comodel_name="hc.remittance.file", readonly=True, copy=False)
    payer_name = fields.Char(readonly=True)
    trace_number = fields.Char(string="Trace Number (TRN02)", readonly=True, index=True)
    payment_method = fields.Char(readonly=True)
    payment_date = fields.Date(readonly=True)
    amount_total = fields.Monetary(string="Total Payment", currency_field="currency_id", readonly=True)
    claim_count = fields.Integer(readonly=True)
    transaction_count = fields.Integer(readonly=True)
    payment_ids = fields.One2many(comodel_name="hc.remittance.payment", inverse_name="file_id", readonly=True)
    claim_ids = fields.One2many(comodel_name="hc.remittance.claim", inverse_name="file_id", readonly=True)

    @api.model
    def _hc_create_from_content(self, source, filename, content):
        digest = hashlib.sha256(content).hexdigest()
        attachment = self.env["ir.attachment"].create(
            {"name": filename, "raw": content, "res_model": self._name, "mimetype": "text/plain"}
        )
        record = self.create(
            {"name": filename, "source_id": source.id, "sha256": digest, "attachment_id": attachment.id}
        )
        attachment.res_id = record.id
        return record

    def _hc_content(self):
        self.ensure_one()
        return base64.b64decode(self.attachment_id.datas or b"")

    def _hc_read(self):
        self.ensure_one()
        return reading.read_file(self._hc_content(), default_delimiters=self.source_id.allow_default_delimiters)

    def _hc_find_duplicate(self, result):
        self.ensure_one()
        domain = [
            ("id", "!=", self.id),
            ("state", "in", ("posted", "partial")),
            ("company_id", "=", self.company_id.id),
        ]
        same = self.search([*domain, ("sha256", "=", self.sha256)], limit=1)
        if same:
            return same, _("The same file (SHA-256) was imported as %(name)s.", name=same.display_name)
        for remittance in result.remittances:
            payment = self.env["hc.remittance.payment"].search(
                [
                    ("file_id.state", "in", ("posted", "partial")),
                    ("file_id", "!=", self.id),
                    ("payer_trn_id", "=", remittance.payer_trn_id),
                    ("trace_number", "=", remittance.trace_number),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
            if payment:
                return payment.file_id, _(
                    "Payer %(payer)s trace number %(trace)s was already imported in %(name)s.",
                    payer=remittance.payer_trn_id,
                    trace=remittance.trace_number,
                    name=payment.file_id.display_name,
                )
        return None, None

    def action_import(self):
        for record in self:
            if record.state not in ("new", "error"):
                raise UserError(_("File %(name)s was already imported.", name=record.name))
        self.check_access("write")
        for record in self:
            record._hc_import()
        return True

    def _hc_import(self):
        """Read, validate, match and post the whole file as one unit; record the outcome."""
        self.ensure_one()
        result = self._hc_read()
        warnings = [p.describe() for p in result.problems if p.severity == "warning"] + [
            p.describe() for r in result.remittances for p in r.warnings
        ]
        values = {"warning_message": "\n".join(warnings) or False, "error_message": False}
        if result.remittances:
            first = result.remittances[0]
            values.update(
                payer_name=first.payer_name,
                trace_number=first.trace_number,
                payment_method=first.method,
                payment_date=_x12_date(first.payment_date or first.production_date),
                amount_total=float(sum(r.amount for r in result.remittances)),
                claim_count=sum(len(r.claims) for r in result.remittances),
                transaction_count=len(result.remittances),
            )
        if not result.ok:
            values.update(state="error", error_message="\n".join(p.describe() for p in result.errors))
            self.write(values)
            self.env["hc.audit.log"]._hc_log(self, "remittance.refused", {"errors": len(result.errors)})
            return False
        duplicate, reason = self._hc_find_duplicate(result)
        if duplicate:
            values.update(state="duplicate", duplicate_of_id=duplicate.id, error_message=reason)
            self.write(values)
            self.env["hc.audit.log"]._hc_log(self, "remittance.duplicate", {"of": duplicate.id})
            return False
        try:
            with self.env.cr.savepoint():
                exceptions = 0
                for remittance in result.remittances:
                    payment = self.env["hc.remittance.payment"]._hc_create_from_remittance(self, remittance)
                    exceptions += payment._hc_post(remittance)
                values["state"] = "partial" if exceptions else "posted"
                self.write(values)
        except Exception as error:  # pylint: disable=broad-except
            # The savepoint has undone everything of this file; record why, keep the cursor usable.
            self.invalidate_recordset()
            self.write({**values, "state": "error", "error_message": str(error)})
            self.env["hc.audit.log"]._hc_log(self, "remittance.failed", {"error": str(error)})
            _logger.info("remittance file %s: posting failed, nothing posted", self.id)
            return False
        self.env["hc.audit.log"]._hc_log(
            self, "remittance.posted", {"transactions": len(result.remittances), "state": self.state}
        )
        return True

    def action_hc_preview(self):
        self.ensure_one()
        wizard = self.env["hc.remittance.preview"].create({"file_id": self.id})
        wizard._hc_compute_preview()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hc.remittance.preview",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }


def _x12_date(value):
    if value and len(value) == 8 and value.isdigit():
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    return False
