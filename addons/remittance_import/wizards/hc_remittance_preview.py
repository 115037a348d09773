from odoo import _, fields, models


class _Rollback(Exception):
    pass


class HcRemittancePreview(models.TransientModel):
    _name = "hc.remittance.preview"
    _description = "Remittance Dry Run"

    file_id = fields.Many2one(comodel_name="hc.remittance.file", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="file_id.currency_id")
    outcome = fields.Char(readonly=True)
    messages = fields.Text(readonly=True)
    line_ids = fields.One2many(comodel_name="hc.remittance.preview.line", inverse_name="preview_id", readonly=True)

    def _hc_compute_preview(self):
        """Run the real import inside a savepoint, read what it did, and roll it back."""
        self.ensure_one()
        remittance_file = self.file_id
        rows, outcome, messages = [], "", ""
        try:
            with self.env.cr.savepoint():
                remittance_file._hc_import()
                outcome = dict(remittance_file._fields["state"].selection).get(remittance_file.state)
                messages = "\n".join(m for m in (remittance_file.error_message, remittance_file.warning_message) if m)
                for claim in remittance_file.claim_ids.sorted("id"):
                    rows.append(
                        {
                            "claim_number": claim.claim_number,
                            "invoice_name": claim.invoice_id.name or "",
                            "action": dict(claim._fields["state"].selection).get(claim.state),
                            "payment": claim.amount_posted,
                            "contractual": claim.amount_contractual,
                            "other": claim.amount_other,
                            "patient": claim.amount_patient,
                            "unapplied": claim.amount_unapplied,
                            "exception": claim.exception_detail or "",
                        }
                    )
                raise _Rollback()
        except _Rollback:
            outcome = outcome or ""  # everything done inside the savepoint is undone
        self.env.invalidate_all()
        self.write(
            {
                "outcome": _("Would be: %(outcome)s", outcome=outcome),
                "messages": messages,
                "line_ids": [fields.Command.clear()] + [fields.Command.create(r) for r in rows],
            }
        )
        return True

    def action_post(self):
        self.ensure_one()
        self.file_id.action_import()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hc.remittance.file",
            "res_id": self.file_id.id,
            "view_mode": "form",
        }


class HcRemittancePreviewLine(models.TransientModel):
    _name = "hc.remittance.preview.line"
    _description = "Remittance Dry Run Line"

    preview_id = fields.Many2one(comodel_name="hc.remittance.preview", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="preview_id.currency_id")
    claim_number = fields.Char()
    invoice_name = fields.Char(string="Invoice")
    action = fields.Char()
    payment = fields.Monetary(currency_field="currency_id")
    contractual = fields.Monetary(currency_field="currency_id")
    other = fields.Monetary(currency_field="currency_id")
    patient = fields.Monetary(currency_field="currency_id")
    unapplied = fields.Monetary(currency_field="currency_id")
    exception = fields.Char()
