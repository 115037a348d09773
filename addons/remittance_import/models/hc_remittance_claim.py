from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..remit835 import plan as remit_plan
from .hc_remittance_file import _x12_date

CLAIM_STATES = [
    ("new", "New"),
    ("posted", "Posted"),
    ("denied", "Denied"),
    ("reversed", "Reversed"),
    ("reversal", "Reversal"),
    ("info", "Information Only"),
    ("exception", "Exception"),
    ("resolved", "Resolved"),
]
EXCEPTION_REASONS = [
    (remit_plan.UNKNOWN_CLAIM, "Claim number unknown"),
    (remit_plan.ALREADY_SETTLED, "Claim already settled"),
    (remit_plan.CHARGE_MISMATCH, "Charge differs from the invoice"),
    (remit_plan.PATIENT_MISMATCH, "Patient differs from the invoice"),
    (remit_plan.OVERPAYMENT, "Overpayment"),
    (remit_plan.UNDERPAYMENT, "Paid less than the contract"),
    (remit_plan.HOLD_FOR_REVIEW, "Held for review"),
    (remit_plan.REVERSAL_UNMATCHED, "Reversal without an earlier posting"),
    (remit_plan.UNEXPECTED_PAYMENT, "Unexpected payment"),
]


def _dec(value):
    return Decimal(str(value or 0))


class HcRemittanceClaim(models.Model):
    _name = "hc.remittance.claim"
    _description = "Remittance Claim (CLP)"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"

    payment_id = fields.Many2one(comodel_name="hc.remittance.payment", required=True, ondelete="cascade", index=True)
    file_id = fields.Many2one(related="payment_id.file_id", store=True, index=True)
    company_id = fields.Many2one(related="payment_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    sequence = fields.Integer(help="Position of the claim in its transaction.")
    claim_number = fields.Char(string="Claim Number (CLP01)", index=True, required=True)
    status_code = fields.Char(string="Status (CLP02)")
    charge = fields.Monetary(currency_field="currency_id")
    paid = fields.Monetary(currency_field="currency_id")
    patient_responsibility = fields.Monetary(currency_field="currency_id")
    payer_claim_number = fields.Char(string="Payer Claim Number (CLP07)", index=True)
    patient_name = fields.Char()
    member_id = fields.Char(string="Member ID (NM1*QC)")
    statement_date = fields.Date()
    reasons = fields.Char(string="Reason Codes", help="CARCs (group-reason) and RARCs of the claim.")
    invoice_id = fields.Many2one(comodel_name="account.move", string="Invoice", index=True)
    patient_id = fields.Many2one(related="invoice_id.hc_patient_id", string="Patient")
    state = fields.Selection(selection=CLAIM_STATES, default="new", required=True, index=True, tracking=True)
    exception_reason = fields.Selection(selection=EXCEPTION_REASONS, index=True)
    exception_detail = fields.Char()
    owner_id = fields.Many2one(comodel_name="res.users", string="Owner", tracking=True)
    age_days = fields.Integer(compute="_compute_age_days", string="Age (days)")
    amount_posted = fields.Monetary(currency_field="currency_id", readonly=True)
    amount_contractual = fields.Monetary(currency_field="currency_id", readonly=True)
    amount_other = fields.Monetary(currency_field="currency_id", readonly=True)
    amount_patient = fields.Monetary(currency_field="currency_id", readonly=True)
    amount_unapplied = fields.Monetary(currency_field="currency_id", readonly=True)
    receivable_line_id = fields.Many2one(comodel_name="account.move.line", readonly=True, copy=False)
    patient_line_id = fields.Many2one(comodel_name="account.move.line", readonly=True, copy=False)
    unapplied_line_id = fields.Many2one(comodel_name="account.move.line", readonly=True, copy=False)
    reversed_claim_id = fields.Many2one(comodel_name="hc.remittance.claim", readonly=True, copy=False)
    service_ids = fields.One2many(comodel_name="hc.remittance.service", inverse_name="claim_id")
    adjustment_ids = fields.One2many(comodel_name="hc.remittance.adjustment", inverse_name="claim_id")

    def _compute_age_days(self):
        today = fields.Date.context_today(self)
        for claim in self:
            claim.age_days = (today - claim.create_date.date()).days if claim.create_date else 0

    def _compute_display_name(self):
        for claim in self:
            claim.display_name = f"{claim.claim_number} ({claim.status_code})"

    @api.model
    def _hc_create_from_claim(self, payment, claim):
        adjustments = [
            Command.create(
                {
                    "group_code": a.group,
                    "reason_code": a.reason,
                    "amount": float(a.amount),
                    "quantity": float(a.quantity or 0),
                    "level": "claim",
                }
            )
            for a in claim.adjustments
        ]
        services = []
        for line in claim.services:
            services.append(
                Command.create(
                    {
                        "code": line.code,
                        "qualifier": line.qualifier,
                        "modifiers": ",".join(line.modifiers),
                        "charge": float(line.charge),
                        "paid": float(line.paid),
                        "units": float(line.units or 0),
                        "control_number": line.control_number,
                        "service_date": _x12_date(line.date_from),
                        "adjustment_ids": [
                            Command.create(
                                {
                                    "group_code": a.group,
                                    "reason_code": a.reason,
                                    "amount": float(a.amount),
                                    "quantity": float(a.quantity or 0),
                                    "level": "service",
                                }
                            )
                            for a in line.adjustments
                        ],
                    }
                )
            )
        record = self.create(
            {
                "payment_id": payment.id,
                "sequence": claim.index,
                "claim_number": claim.patient_control_number,
                "status_code": claim.status,
                "charge": float(claim.charge),
                "paid": float(claim.paid),
                "patient_responsibility": float(claim.patient_responsibility),
                "payer_claim_number": claim.payer_claim_number,
                "patient_name": claim.patient_name,
                "member_id": claim.patient_id,
                "statement_date": _x12_date(claim.statement_from),
                "reasons": ", ".join(claim.reasons()),
                "adjustment_ids": adjustments,
                "service_ids": services,
            }
        )
        record._hc_match_invoice()
        for adjustment in record.service_ids.adjustment_ids:
            adjustment.claim_id = record
        return record

    # -- matching --------------------------------------------------------------------------
    def _hc_match_invoice(self):
        """CLP01 → invoice claim number, confirmed by the patient's member id when both are known;
        a reversal (CLP02 22) finds the earlier posted claim of the same invoice."""
        self.ensure_one()
        invoices = self.env["account.move"].search(
            [
                ("hc_claim_number", "=", self.claim_number),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("company_id", "=", self.company_id.id),
            ]
        )
        self.invoice_id = invoices[:1]
        if self.invoice_id:
            self.service_ids._hc_match_lines(self.invoice_id)

    def _hc_patient_ok(self):
        coverage = self.invoice_id.hc_coverage_id
        member = coverage.member_id if coverage and "member_id" in coverage._fields else False
        return not (member and self.member_id) or member.strip().upper() == self.member_id.strip().upper()

    def _hc_original(self):
        """The earlier posted claim that a reversal undoes."""
        domain = [
            ("invoice_id", "=", self.invoice_id.id),
            ("state", "=", "posted"),
            ("id", "!=", self.id),
            ("status_code", "!=", "22"),
        ]
        candidates = self.search(domain, order="id desc")
        exact = candidates.filtered(lambda c: c.payer_claim_number == self.payer_claim_number)
        return (exact or candidates.filtered(lambda c: c.currency_id.is_zero(c.paid + self.paid)))[:1]

    def _hc_invoice_facts(self):
        self.ensure_one()
        invoice = self.invoice_id
        if not invoice:
            return None
        posted = None
        if self.status_code == "22":
            original = self._hc_original()
            if original:
                self.reversed_claim_id = original
                posted = {
                    "payment": _dec(original.amount_posted),
                    "contractual": _dec(original.amount_contractual),
                    "other": _dec(original.amount_other),
                    "patient": _dec(original.amount_patient),
                }
        expected = None
        expected_values = [line._hc_expected_amount() for line in invoice.invoice_line_ids]
        if any(v is not None for v in expected_values):
            expected = sum((_dec(v) for v in expected_values if v is not None), Decimal("0"))
        return remit_plan.InvoiceFacts(
            key=invoice.id,
            residual=_dec(invoice.amount_residual),
            total=_dec(invoice.amount_total),
            patient_ok=self._hc_patient_ok(),
            expected=expected,
            posted=posted,
        )

    # -- posting ---------------------------------------------------------------------------
    def _hc_apply_plan(self, claim_plan):
        state = {"post": "posted", "deny": "denied", "reverse": "reversal", "info": "info", "exception": "exception"}
        self.write(
            {
                "state": state[claim_plan.action],
                "exception_reason": claim_plan.exception or False,
                "exception_detail": claim_plan.exception_detail or False,
                "amount_posted": float(claim_plan.payment),
                "amount_contractual": float(claim_plan.contractual),
                "amount_other": float(claim_plan.other),
                "amount_patient": float(claim_plan.patient),
                "amount_unapplied": float(claim_plan.unapplied),
            }
        )

    def _hc_link_line(self, kind, move_line):
        self[f"{kind}_line_id"] = move_line

    def _hc_after_post(self):
        """Reconcile, notify, flag denials and reversals, log."""
        self.ensure_one()
        invoice = self.invoice_id
        if self.state == "posted" and self.receivable_line_id:
            (
                self.receivable_line_id
                | invoice.line_ids.filtered(lambda ml: ml.account_type == "asset_receivable" and not ml.reconciled)
            ).reconcile()
            invoice._hc_notify_claim_event("claim.paid", {"claim": self.claim_number, "paid": self.paid})
        elif self.state == "reversal" and self.reversed_claim_id:
            original = self.reversed_claim_id
            if original.receivable_line_id:
                original.receivable_line_id.remove_move_reconcile()
                if self.receivable_line_id:
                    (original.receivable_line_id | self.receivable_line_id).reconcile()
            if original.patient_line_id and self.patient_line_id:
                (original.patient_line_id | self.patient_line_id).reconcile()
            original.state = "reversed"
        elif self.state == "denied":
            source = self.file_id.source_id
            invoice.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=_("Claim %(claim)s denied", claim=self.claim_number),
                note=_("Reasons: %(reasons)s", reasons=self.reasons or "-"),
                user_id=(source.denial_user_id or self.env.user).id,
            )
            invoice._hc_notify_claim_event("claim.denied", {"claim": self.claim_number, "reasons": self.reasons})
        elif self.state == "exception" and not self.owner_id:
            self.owner_id = self.file_id.source_id.denial_user_id
        self.env["hc.audit.log"]._hc_log(
            invoice or self,
            f"remittance.claim.{self.state}",
            {"claim": self.claim_number, "paid": self.paid, "reason": self.exception_reason or ""},
        )

    # -- exception queue -------------------------------------------------------------------
    def action_hc_resolve_match(self, invoice):
        """Apply the unapplied money of this exception to ``invoice`` (a clerk's decision)."""
        self.ensure_one()
        if self.state != "exception":
            raise UserError(_("Claim %(claim)s is not in the exception queue.", claim=self.claim_number))
        if invoice.state != "posted" or invoice.move_type != "out_invoice":
            raise UserError(
                _("Claim %(claim)s can only be matched to a posted customer invoice.", claim=self.claim_number)
            )
        amount = self.currency_id.round(self.amount_unapplied)
        if self.currency_id.compare_amounts(amount, invoice.amount_residual) > 0:
            raise UserError(
                _(
                    "Claim %(claim)s brings %(amount)s but invoice %(invoice)s only owes %(residual)s.",
                    claim=self.claim_number,
                    amount=amount,
                    invoice=invoice.name,
                    residual=invoice.amount_residual,
                )
            )
        source = self.file_id.source_id
        receivable = invoice.line_ids.filtered(lambda ml: ml.account_type == "asset_receivable")[:1]
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": source.journal_id.id,
                "ref": _("Resolved claim %(claim)s", claim=self.claim_number),
                "line_ids": [
                    Command.create(
                        {
                            "account_id": source.unapplied_account_id.id,
                            "debit": amount,
                            "partner_id": self.payment_id.payer_id.id,
                            "name": self.claim_number,
                        }
                    ),
                    Command.create(
                        {
                            "account_id": receivable.account_id.id,
                            "credit": amount,
                            "partner_id": invoice.commercial_partner_id.id,
                            "name": self.claim_number,
                        }
                    ),
                ],
            }
        )
        move.action_post()
        credit = move.line_ids.filtered(lambda ml: ml.credit)
        (credit | receivable.filtered(lambda ml: not ml.reconciled)).reconcile()
        if self.unapplied_line_id and source.unapplied_account_id.reconcile:
            (self.unapplied_line_id | move.line_ids.filtered(lambda ml: ml.debit)).reconcile()
        self.write({"state": "resolved", "invoice_id": invoice.id, "amount_posted": amount, "amount_unapplied": 0.0})
        self.env["hc.audit.log"]._hc_log(invoice, "remittance.claim.resolved", {"claim": self.claim_number})
        return True
