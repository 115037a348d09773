"""The posting plan: what a remittance would post, computed without a database.

The ORM layer matches each claim to an invoice and hands the facts over as
``InvoiceFacts``; ``build_plan`` decides, claim by claim, the payment, the
write-offs, the patient transfer or the exception, from a configurable
(group, CARC) → action mapping.  The same plan feeds the dry-run preview and
the posting, so what the clerk previews is what gets posted.
"""

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal

from .model import ZERO

# What an adjustment does.
CONTRACTUAL = "contractual"  # write off to the contractual adjustment account
OTHER = "other"  # write off to the other-adjustment account
PATIENT = "patient"  # move to the guarantor's receivable
DENIAL = "denial"  # leave open, open a denial work item
REVIEW = "review"  # hold the claim for review (exception)
IGNORE = "ignore"  # informational (e.g. OA-23 on secondary remits): nothing posted
ACTIONS = (CONTRACTUAL, OTHER, PATIENT, DENIAL, REVIEW, IGNORE)

GROUP_DEFAULTS = {"CO": CONTRACTUAL, "PR": PATIENT, "OA": OTHER, "PI": OTHER, "CR": REVIEW}

# Exception reasons.
UNKNOWN_CLAIM = "unknown_claim"
ALREADY_SETTLED = "already_settled"
CHARGE_MISMATCH = "charge_mismatch"
PATIENT_MISMATCH = "patient_mismatch"
OVERPAYMENT = "overpayment"
UNDERPAYMENT = "underpayment"
HOLD_FOR_REVIEW = "review"
REVERSAL_UNMATCHED = "reversal_unmatched"
UNEXPECTED_PAYMENT = "unexpected_payment"


@dataclass
class CarcMapping:
    """(group, CARC) → action, with group-level defaults."""

    rules: dict = field(default_factory=dict)
    group_defaults: dict = field(default_factory=lambda: dict(GROUP_DEFAULTS))

    def action(self, group, reason):
        return self.rules.get((group, reason)) or self.group_defaults.get(group) or REVIEW


@dataclass
class InvoiceFacts:
    """What the database knows of the invoice a claim matched (amounts in Decimal)."""

    key: object  # the invoice id
    residual: Decimal
    total: Decimal
    patient_ok: bool = True
    expected: Decimal | None = None  # contract expected payment (payer_contracts), if any
    posted: dict | None = None  # for reversals: what the earlier remittance posted for this claim


@dataclass
class ClaimPlan:
    index: int
    claim_number: str
    status: str
    action: str  # post, deny, reverse, info, exception
    invoice: object = None
    payment: Decimal = ZERO
    contractual: Decimal = ZERO
    other: Decimal = ZERO
    patient: Decimal = ZERO
    left_open: Decimal = ZERO  # denial / ignored amounts left on the invoice
    unapplied: Decimal = ZERO  # the claim's money waiting in unapplied cash
    exception: str = ""
    exception_detail: str = ""
    denial: bool = False
    reasons: list = field(default_factory=list)

    @property
    def applied(self):
        return self.payment + self.contractual + self.other + self.patient


@dataclass
class PlanLine:
    reason: str
    reference: str
    amount: Decimal


@dataclass
class Plan:
    payment: Decimal
    claims: list
    provider_adjustments: list

    def total(self, attribute):
        return sum((getattr(c, attribute) for c in self.claims), ZERO)

    @property
    def unapplied(self):
        return self.total("unapplied")

    @property
    def provider_adjustment_total(self):
        return sum((p.amount for p in self.provider_adjustments), ZERO)

    def check(self):
        """The cash equation: payment = claim payments + unapplied cash - PLB."""
        cash = self.total("payment") + self.unapplied - self.provider_adjustment_total
        if cash != self.payment:
            raise AssertionError(f"plan does not balance: {cash} != {self.payment}")
        return True

    def exceptions(self):
        return [c for c in self.claims if c.action == "exception"]


def _split(claim, mapping):
    amounts = dict.fromkeys(ACTIONS, ZERO)
    for adjustment in claim.all_adjustments():
        amounts[mapping.action(adjustment.group, adjustment.reason)] += adjustment.amount
    return amounts


def plan_claim(claim, facts, mapping, tolerance=Decimal("0.00")):
    """The ``ClaimPlan`` of one claim given its matched invoice (``facts`` or None)."""
    plan = ClaimPlan(claim.index, claim.patient_control_number, claim.status, "post", reasons=claim.reasons())
    amounts = _split(claim, mapping)

    def exception(reason, detail):
        plan.action = "exception"
        plan.exception = reason
        plan.exception_detail = detail
        plan.payment = plan.contractual = plan.other = plan.patient = ZERO
        plan.unapplied = claim.paid
        return plan

    if claim.status in ("23", "25"):
        plan.action = "info"
        if claim.paid:
            return exception(UNEXPECTED_PAYMENT, f"status {claim.status} claims should not pay; {claim.paid} paid")
        return plan
    if facts is None:
        if claim.is_reversal:
            return exception(REVERSAL_UNMATCHED, "no earlier posting of this claim to reverse")
        return exception(UNKNOWN_CLAIM, f"no invoice has the claim number {claim.patient_control_number}")
    plan.invoice = facts.key
    if not facts.patient_ok:
        return exception(PATIENT_MISMATCH, "the patient of the remittance is not the patient of the invoice")
    if claim.is_reversal:
        if not facts.posted:
            return exception(REVERSAL_UNMATCHED, "no earlier posting of this claim to reverse")
        posted = facts.posted
        mirror = {k: -posted.get(k, ZERO) for k in ("payment", "contractual", "other", "patient")}
        if mirror["payment"] != claim.paid:
            return exception(
                REVERSAL_UNMATCHED,
                f"the reversal takes back {-claim.paid}, the earlier posting paid {posted.get('payment', ZERO)}",
            )
        plan.action = "reverse"
        plan.payment, plan.contractual, plan.other, plan.patient = (
            mirror["payment"], mirror["contractual"], mirror["other"], mirror["patient"],
        )  # fmt: skip
        return plan
    if claim.charge != facts.total:
        return exception(CHARGE_MISMATCH, f"the payer's charge is {claim.charge}, the invoice's total {facts.total}")
    if claim.is_denial and not claim.paid:
        plan.action = "deny"
        plan.denial = True
        plan.left_open = claim.adjustment_total
        return plan
    if facts.residual <= 0 and claim.paid > 0:
        return exception(ALREADY_SETTLED, "the invoice is already settled")
    if amounts[REVIEW]:
        return exception(HOLD_FOR_REVIEW, f"adjustments of {amounts[REVIEW]} are configured to be reviewed")
    applied = claim.paid + amounts[CONTRACTUAL] + amounts[OTHER] + amounts[PATIENT]
    if applied > facts.residual:
        return exception(
            OVERPAYMENT, f"payment and adjustments of {applied} exceed the {facts.residual} still due on the invoice"
        )
    if facts.expected is not None and claim.paid + amounts[PATIENT] < facts.expected - tolerance:
        return exception(
            UNDERPAYMENT,
            f"the payer pays {claim.paid} (plus {amounts[PATIENT]} patient share) "
            f"but the contract expects {facts.expected}",
        )
    plan.payment = claim.paid
    plan.contractual = amounts[CONTRACTUAL]
    plan.other = amounts[OTHER]
    plan.patient = amounts[PATIENT]
    plan.left_open = amounts[DENIAL] + amounts[IGNORE]
    plan.denial = bool(amounts[DENIAL])
    return plan


def build_plan(remittance, facts_by_claim, mapping=None, tolerance=Decimal("0.00")):
    """``facts_by_claim``: claim index → ``InvoiceFacts`` (missing = no invoice matched)."""
    mapping = mapping or CarcMapping()
    claims = []
    residuals = {}  # invoice key → what is still due after the claims planned so far
    for claim in remittance.claims:
        facts = facts_by_claim.get(claim.index)
        if facts is not None:
            facts = dataclasses.replace(facts, residual=residuals.get(facts.key, facts.residual))
        claim_plan = plan_claim(claim, facts, mapping, tolerance)
        if facts is not None and claim_plan.action in ("post", "reverse"):
            residuals[facts.key] = facts.residual - claim_plan.applied
        claims.append(claim_plan)
    plb = [PlanLine(p.reason, p.reference, p.amount) for p in remittance.provider_adjustments]
    amount = remittance.amount if remittance.credit_debit != "D" else -remittance.amount
    plan = Plan(amount, claims, plb)
    plan.check()
    return plan
