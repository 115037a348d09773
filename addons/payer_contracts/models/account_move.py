from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    _inherit = "account.move"

    hc_contract_id = fields.Many2one(
        comodel_name="hc.payer.contract", string="Payer Contract", copy=False, readonly=True, index="btree_not_null"
    )
    hc_expected_total = fields.Monetary(
        string="Expected Reimbursement", compute="_compute_hc_contract_totals", store=True, currency_field="currency_id"
    )
    hc_patient_responsibility = fields.Monetary(
        string="Estimated Patient Responsibility",
        compute="_compute_hc_contract_totals",
        store=True,
        currency_field="currency_id",
        help="Copay plus coinsurance of the rest of the expected amount, as the contract sets them.",
    )
    hc_pricing_exception = fields.Boolean(
        string="Pricing Exception",
        compute="_compute_hc_contract_totals",
        store=True,
        index=True,
        help="A line has no contract rate: the invoice cannot be posted until it is re-priced or overridden.",
    )

    @api.depends(
        "invoice_line_ids.hc_expected_amount",
        "invoice_line_ids.hc_pricing_exception",
        "hc_contract_id.copay_amount",
        "hc_contract_id.coinsurance_percent",
    )
    def _compute_hc_contract_totals(self):
        for move in self:
            lines = move.invoice_line_ids
            expected = sum(lines.mapped("hc_expected_amount"))
            move.hc_expected_total = expected
            move.hc_pricing_exception = any(lines.mapped("hc_pricing_exception"))
            contract = move.hc_contract_id
            if contract and expected:
                copay = min(contract.copay_amount, expected)
                coinsurance = (expected - copay) * contract.coinsurance_percent / 100
                move.hc_patient_responsibility = move.currency_id.round(copay + coinsurance)
            else:
                move.hc_patient_responsibility = 0.0

    def action_hc_reprice(self):
        """Price the draft invoices of encounters again with the contract in force now."""
        for move in self:
            if move.state != "draft" or not move.hc_encounter_id:
                raise UserError(_("Only draft invoices created from encounters can be re-priced."))
            encounter = move.hc_encounter_id
            lines = move.invoice_line_ids.filtered("hc_encounter_line_id")
            priced = encounter._hc_price_lines(lines.hc_encounter_line_id)
            move.hc_contract_id = encounter._hc_contract()
            for line in lines:
                vals = {
                    "hc_expected_amount": 0.0,
                    "hc_fee_line_id": False,
                    "hc_pricing_method": False,
                    "hc_pricing_exception": False,
                    "hc_price_overridden": False,
                    **priced[line.hc_encounter_line_id],
                }
                line.with_context(hc_pricing=True).write(vals)
            self.env["hc.audit.log"]._hc_log(
                move, "invoice.repriced", {"exception": move.hc_pricing_exception, "expected": move.hc_expected_total}
            )
        return True

    def _hc_after_price_override(self, line):
        """Hook called after a supervisor overrides a price (approvals will hold the invoice)."""
        return True

    def _post(self, soft=True):
        blocked = self.filtered("hc_pricing_exception")
        if blocked:
            raise UserError(
                _(
                    "Invoice %(name)s has lines without a contract rate (claim %(claim)s): "
                    "fix the fee schedule and re-price, or have a supervisor override the price.",
                    name=blocked[0].display_name,
                    claim=blocked[0].hc_claim_number or "",
                )
            )
        return super()._post(soft=soft)

    def _hc_review_flags(self):
        flags = super()._hc_review_flags()
        for move in self:
            if any(move.invoice_line_ids.mapped("hc_price_overridden")):
                flags[move].add("price_override")
            if move.hc_pricing_exception:
                flags[move].add("pricing_exception")
        return flags
