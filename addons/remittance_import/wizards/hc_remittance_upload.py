import base64

from odoo import _, fields, models
from odoo.exceptions import UserError


class HcRemittanceUpload(models.TransientModel):
    _name = "hc.remittance.upload"
    _description = "Upload a Remittance File"

    source_id = fields.Many2one(comodel_name="hc.remittance.source", required=True)
    file = fields.Binary(required=True)
    filename = fields.Char()

    def _hc_create_file(self):
        self.ensure_one()
        content = base64.b64decode(self.file or b"")
        if not content.strip():
            raise UserError(_("The uploaded file %(name)s is empty.", name=self.filename or "-"))
        return self.env["hc.remittance.file"]._hc_create_from_content(
            self.source_id, self.filename or "upload.835", content
        )

    def action_import(self):
        remittance_file = self._hc_create_file()
        remittance_file.action_import()
        return {
            "type": "ir.actions.act_window",
            "res_model": "hc.remittance.file",
            "res_id": remittance_file.id,
            "view_mode": "form",
        }

    def action_preview(self):
        remittance_file = self._hc_create_file()
        return remittance_file.action_hc_preview()
