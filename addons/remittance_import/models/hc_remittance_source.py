import fnmatch
import logging
import os

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)


class HcRemittanceSource(models.Model):
    _name = "hc.remittance.source"
    _description = "Remittance Source"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(comodel_name="res.company", required=True, default=lambda self: self.env.company)
    journal_id = fields.Many2one(
        comodel_name="account.journal",
        string="Payment Journal",
        required=True,
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
    )
    cash_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Outstanding Receipts Account",
        required=True,
        check_company=True,
        help="Receives the BPR payment of each transaction; the bank statement line (reference TRN02) "
        "is reconciled against it.",
    )
    contractual_account_id = fields.Many2one(
        comodel_name="account.account", string="Contractual Adjustments", required=True, check_company=True
    )
    other_account_id = fields.Many2one(
        comodel_name="account.account", string="Other Adjustments", required=True, check_company=True
    )
    provider_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Provider-Level Adjustments",
        required=True,
        check_company=True,
        help="PLB amounts (recoupments, interest, forwarding balances).",
    )
    unapplied_account_id = fields.Many2one(
        comodel_name="account.account",
        string="Unapplied Cash",
        required=True,
        check_company=True,
        help="Money of claims that could not be posted waits here until a clerk resolves them.",
    )
    inbox_path = fields.Char(string="Inbox Folder")
    archive_path = fields.Char(string="Archive Folder")
    error_path = fields.Char(string="Error Folder")
    file_patterns = fields.Char(default="*.835,*.txt,*.edi", help="Comma-separated file name patterns.")
    allow_default_delimiters = fields.Boolean(
        help="Read files without an ISA header with the delimiters * : ^ ~ (off: such files are refused)."
    )
    underpayment_tolerance = fields.Monetary(
        currency_field="currency_id", help="A payment this much below the contract's expected amount is accepted."
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    denial_user_id = fields.Many2one(
        comodel_name="res.users", string="Denial Owner", help="Receives the activities of denied claims."
    )
    file_ids = fields.One2many(comodel_name="hc.remittance.file", inverse_name="source_id")

    @api.constrains("inbox_path", "archive_path", "error_path")
    def _check_folders(self):
        for source in self:
            paths = [p for p in (source.inbox_path, source.archive_path, source.error_path) if p]
            if len({os.path.abspath(p) for p in paths}) != len(paths):
                raise ValidationError(
                    _("The inbox, archive and error folders of %(name)s must differ.", name=source.name)
                )

    def _hc_inbox_files(self):
        self.ensure_one()
        if not self.inbox_path or not os.path.isdir(self.inbox_path):
            return []
        patterns = [p.strip() for p in (self.file_patterns or "*").split(",") if p.strip()]
        names = sorted(
            name
            for name in os.listdir(self.inbox_path)
            if os.path.isfile(os.path.join(self.inbox_path, name)) and any(fnmatch.fnmatch(name, p) for p in patterns)
        )
        return [os.path.join(self.inbox_path, name) for name in names]

    @api.model
    def _cron_import_inbox(self):
        """Import the new files of every active source's inbox, one committed transaction per file."""
        for source in self.search([("inbox_path", "!=", False)]):
            for path in source._hc_inbox_files():
                source._hc_import_path(path)

    def _hc_import_path(self, path):
        """Import one inbox file; commit; only then move it to the archive or error folder."""
        self.ensure_one()
        cr = self.env.cr
        # One worker per file: a second worker skips it until the first has committed and moved it.
        cr.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [path])
        if not cr.fetchone()[0]:
            return False
        if not os.path.exists(path):
            return False
        with open(path, "rb") as handle:
            content = handle.read()
        remittance_file = self.env["hc.remittance.file"]._hc_create_from_content(self, os.path.basename(path), content)
        remittance_file._hc_import()
        target = self.error_path if remittance_file.state == "error" else self.archive_path
        if not self.env.context.get("hc_remittance_no_commit"):  # tests run inside one transaction
            cr.commit()  # pylint: disable=invalid-commit  # outcome recorded before the file moves
        if target:
            os.makedirs(target, exist_ok=True)
            destination = os.path.join(target, os.path.basename(path))
            if os.path.exists(destination):
                destination = f"{destination}.{remittance_file.id}"
            os.replace(path, destination)
        _logger.info("remittance file %s imported from an inbox: state %s", remittance_file.id, remittance_file.state)
        return remittance_file
