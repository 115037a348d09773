"""The 835 claim model: dataclasses, Decimal money, nothing from Odoo."""

from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")

CLAIM_STATUSES_5010 = {
    "1": "Processed as primary",
    "2": "Processed as secondary",
    "3": "Processed as tertiary",
    "4": "Denied",
    "19": "Processed as primary, forwarded to additional payer",
    "20": "Processed as secondary, forwarded to additional payer",
    "21": "Processed as tertiary, forwarded to additional payer",
    "22": "Reversal of previous payment",
    "23": "Not our claim, forwarded to additional payer",
    "25": "Predetermination pricing only, no payment",
}
CLAIM_STATUSES_4010_ONLY = {"5", "10", "11", "13", "15", "16", "17", "27"}
GROUPS_5010 = {"CO", "PR", "OA", "PI"}
GROUPS_4010_ONLY = {"CR"}
SUPPORTED_VERSIONS = ("005010X221A1", "005010X221")


@dataclass
class Problem:
    """Something wrong with a file, located for a clerk. ``severity`` is ``error`` (blocks
    posting) or ``warning`` (shown, posting allowed)."""

    severity: str
    code: str
    message: str
    transaction: str | None = None
    position: int | None = None
    segment_id: str | None = None
    element: str | None = None

    @classmethod
    def from_x12(cls, error, severity="error"):
        return cls(
            severity, error.code, error.message, error.transaction, error.position, error.segment_id, error.element
        )

    def describe(self):
        where = []
        if self.transaction:
            where.append(f"transaction {self.transaction}")
        if self.position:
            where.append(f"segment {self.position}")
        if self.element or self.segment_id:
            where.append(self.element or self.segment_id)
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class Adjustment:
    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None = None
    level: str = "claim"  # claim or service
    position: int = 0


@dataclass
class ServiceLine:
    qualifier: str
    code: str
    modifiers: tuple
    charge: Decimal
    paid: Decimal
    revenue_code: str = ""
    units: Decimal | None = None
    submitted_code: str = ""
    submitted_modifiers: tuple = ()
    control_number: str = ""  # REF*6R
    date_from: str = ""
    date_to: str = ""
    allowed: Decimal | None = None
    adjustments: list = field(default_factory=list)
    remarks: list = field(default_factory=list)  # LQ*HE RARCs
    position: int = 0

    @property
    def adjustment_total(self):
        return sum((a.amount for a in self.adjustments), ZERO)


@dataclass
class Claim:
    patient_control_number: str  # CLP01 = our claim number
    status: str
    charge: Decimal
    paid: Decimal
    patient_responsibility: Decimal
    filing_indicator: str = ""
    payer_claim_number: str = ""  # CLP07
    facility_code: str = ""
    frequency: str = ""
    patient_name: str = ""
    patient_id: str = ""  # NM1*QC09
    insured_id: str = ""
    original_reference: str = ""  # REF*F8
    statement_from: str = ""
    statement_to: str = ""
    received: str = ""
    crossover_payer: str = ""  # NM1*TT
    interest: Decimal = ZERO  # AMT*I
    adjustments: list = field(default_factory=list)  # claim level
    services: list = field(default_factory=list)
    remarks: list = field(default_factory=list)  # MOA/MIA RARCs
    position: int = 0
    index: int = 0

    @property
    def is_reversal(self):
        return self.status == "22"

    @property
    def is_denial(self):
        return self.status == "4"

    def all_adjustments(self):
        yield from self.adjustments
        for service in self.services:
            yield from service.adjustments

    @property
    def adjustment_total(self):
        return sum((a.amount for a in self.all_adjustments()), ZERO)

    def reasons(self):
        """CARCs and RARCs as ``["CO-50", "N115"]``, in file order without repeats."""
        seen = []
        for adjustment in self.all_adjustments():
            code = f"{adjustment.group}-{adjustment.reason}"
            if code not in seen:
                seen.append(code)
        for remark in [*self.remarks, *(r for s in self.services for r in s.remarks)]:
            if remark not in seen:
                seen.append(remark)
        return seen


@dataclass
class ProviderAdjustment:
    provider_id: str
    fiscal_date: str
    reason: str
    reference: str
    amount: Decimal
    position: int = 0


@dataclass
class Remittance:
    """One 835 transaction set: one payment (BPR/TRN) and its claims."""

    control_number: str
    version: str
    handling_code: str = ""
    amount: Decimal = ZERO  # BPR02
    credit_debit: str = "C"
    method: str = ""  # BPR04
    payment_date: str = ""  # BPR16
    trace_number: str = ""  # TRN02
    payer_trn_id: str = ""  # TRN03
    production_date: str = ""
    payer_name: str = ""
    payer_id: str = ""  # N1*PR N104 or REF*2U
    payee_name: str = ""
    payee_id_qualifier: str = ""
    payee_id: str = ""
    claims: list = field(default_factory=list)
    provider_adjustments: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    segment_count: int = 0
    sha256: str = ""
    reference: str = ""

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self):
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def claims_paid_total(self):
        return sum((c.paid for c in self.claims), ZERO)

    @property
    def provider_adjustment_total(self):
        return sum((p.amount for p in self.provider_adjustments), ZERO)
