from decimal import Decimal

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..remit835 import plan as remit_plan
from .hc_remittance_file import _x12_date


def _dec(value):
    return Decimal(str(value or 0))


class HcRemittancePayment(models.Model):
    _name = "hc.remittance.payment"
    _description = "Remittance Payment (one 835 transaction)"
    _order = "id"

    file_id = fields.Many2one(comodel_name="hc.remittance.file", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="file_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    control_number = fields.Char(string="ST02")
    handling_code = fields.Char(string="BPR01")
    amount = fields.Monetary(string="Payment (BPR02)", currency_field="currency_id")
    method = fields.Char(string="Method (BPR04)")
    payment_date = fields.Date()
    trace_number = fields.Char(string="Trace Number (TRN02)", index=True)
    payer_trn_id = fields.Char(string="Payer (TRN03)", index=True)
    payer_name = fields.Char()
    payer_id = fields.Many2one(comodel_name="res.partner", string="Payer")
    move_id = fields.Many2one(comodel_name="account.move", string="Journal Entry", readonly=True, copy=False)
    claim_ids = fields.One2many(comodel_name="hc.remittance.claim", inverse_name="payment_id")
    plb_ids = fields.One2many(comodel_name="hc.remittance.plb", inverse_name="payment_id")
    unapplied_amount = fields.Monetary(currency_field="currency_id", readonly=True)

    def _compute_display_name(self):
        for payment in self:
            payment.display_name = (
                f"{payment.trace_number or payment.control_number} {payment.payer_name or ''}".strip()
            )

    @api.model
    def _hc_create_from_remittance(self, remittance_file, remittance):
        payer = self.env["res.partner"]._hc_find_payer(remittance.payer_id, remittance_file.company_id)
        payment = self.create(
            {
                "file_id": remittance_file.id,
                "control_number": remittance.control_number,
                "handling_code": remittance.handling_code,
                "amount": float(remittance.amount),
                "method": remittance.method,
                "payment_date": _x12_date(remittance.payment_date or remittance.production_date)
                or fields.Date.context_today(self),
                "trace_number": remittance.trace_number,
                "payer_trn_id": remittance.payer_trn_id,
                "payer_name": remittance.payer_name,
                "payer_id": payer.id,
                "plb_ids": [
                    Command.create(
                        {
                            "provider_id": p.provider_id,
                            "reason_code": p.reason,
                            "reference": p.reference,
                            "amount": float(p.amount),
                        }
                    )
                    for p in remittance.provider_adjustments
                ],
            }
        )
        claims = self.env["hc.remittance.claim"]
        for claim in remittance.claims:
            claims |= claims._hc_create_from_claim(payment, claim)
        return payment

    # -- plan ------------------------------------------------------------------------------
    def _hc_plan(self, remittance):
        """The pure posting plan of this payment, with the facts of the matched invoices."""
        self.ensure_one()
        facts = {}
        for claim in self.claim_ids:
            fact = claim._hc_invoice_facts()
            if fact is not None:
                facts[claim.sequence] = fact
        source = self.file_id.source_id
        mapping = self.env["hc.remittance.carc.action"]._hc_mapping(self.company_id)
        return remit_plan.build_plan(remittance, facts, mapping, tolerance=_dec(source.underpayment_tolerance))

    def _hc_post(self, remittance):
        """Post this payment: one balanced journal entry; reconcile; return the number of exceptions."""
        self.ensure_one()
        plan = self._hc_plan(remittance)
        source = self.file_id.source_id
        lines = []
        currency = self.currency_id

        def line(account, amount, name, partner=None, claim=None, kind=None):
            amount = currency.round(float(amount))
            if currency.is_zero(amount):
                return
            lines.append(
                (
                    claim,
                    kind,
                    {
                        "account_id": account.id,
                        "partner_id": partner.id if partner else False,
                        "name": name,
                        "debit": amount if amount > 0 else 0.0,
                        "credit": -amount if amount < 0 else 0.0,
                    },
                )
            )

        line(source.cash_account_id, plan.payment, _("Payment %(trace)s", trace=self.trace_number))
        claims_by_seq = {c.sequence: c for c in self.claim_ids}
        exceptions = 0
        for claim_plan in plan.claims:
            claim = claims_by_seq[claim_plan.index]
            claim._hc_apply_plan(claim_plan)
            if claim_plan.action == "exception":
                exceptions += 1
                line(
                    source.unapplied_account_id,
                    -claim_plan.unapplied,
                    _("Unapplied: claim %(claim)s", claim=claim.claim_number),
                    self.payer_id or None,
                    claim,
                    "unapplied",
                )
                continue
            if claim_plan.action not in ("post", "reverse"):
                continue
            invoice = claim.invoice_id
            receivable = invoice.line_ids.filtered(lambda ml: ml.account_type == "asset_receivable")[:1]
            label = _("Remittance %(trace)s claim %(claim)s", trace=self.trace_number, claim=claim.claim_number)
            line(receivable.account_id, -claim_plan.applied, label, invoice.commercial_partner_id, claim, "receivable")
            line(source.contractual_account_id, claim_plan.contractual, label, invoice.commercial_partner_id, claim)
            line(source.other_account_id, claim_plan.other, label, invoice.commercial_partner_id, claim)
            if claim_plan.patient:
                guarantor = invoice.hc_patient_id._hc_get_guarantor() if invoice.hc_patient_id else None
                if not guarantor:
                    raise UserError(
                        _(
                            "Claim %(claim)s has patient responsibility but its invoice has no patient.",
                            claim=claim.claim_number,
                        )
                    )
                line(
                    guarantor.property_account_receivable_id,
                    claim_plan.patient,
                    _("Patient responsibility: claim %(claim)s", claim=claim.claim_number),
                    guarantor,
                    claim,
                    "patient",
                )
        for plb in plan.provider_adjustments:
            line(
                source.provider_account_id,
                plb.amount,
                _("Provider adjustment %(reason)s %(reference)s", reason=plb.reason, reference=plb.reference or ""),
            )
        self.unapplied_amount = float(plan.unapplied)
        if lines:
            move = self.env["account.move"].create(
                {
                    "move_type": "entry",
                    "journal_id": source.journal_id.id,
                    "date": self.payment_date,
                    "ref": _("835 %(trace)s", trace=self.trace_number),
                    "line_ids": [Command.create(vals) for _claim, _kind, vals in lines],
                }
            )
            move.action_post()
            self.move_id = move
            # Which entry line belongs to which claim: same order as created.
            for (claim, kind, _vals), move_line in zip(lines, move.line_ids.sorted("id"), strict=True):
                if claim and kind:
                    claim._hc_link_line(kind, move_line)
        for claim in self.claim_ids:
            claim._hc_after_post()
        return exceptions
