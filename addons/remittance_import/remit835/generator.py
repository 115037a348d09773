"""Generate 835 files for tests, demo data and benchmarks (written with the core's X12 writer)."""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from ._x12 import x12


@dataclass
class GenService:
    code: str
    charge: Decimal
    paid: Decimal
    adjustments: list = field(default_factory=list)  # (group, reason, amount)
    modifiers: tuple = ()
    control_number: str = ""
    date: str = "20250115"
    units: Decimal = Decimal("1")


@dataclass
class GenClaim:
    number: str
    charge: Decimal
    paid: Decimal
    status: str = "1"
    services: list = field(default_factory=list)
    adjustments: list = field(default_factory=list)  # claim level (group, reason, amount)
    payer_claim_number: str = ""
    patient_last: str = "DOE"
    patient_first: str = "JANE"
    member_id: str = "M1"
    date: str = "20250115"
    remarks: tuple = ()
    original_reference: str = ""

    def patient_responsibility(self):
        pr = [a for a in self.adjustments if a[0] == "PR"] + [
            a for s in self.services for a in s.adjustments if a[0] == "PR"
        ]
        return sum((Decimal(a[2]) for a in pr), Decimal("0"))


@dataclass
class GenPayment:
    trace: str
    claims: list
    amount: Decimal | None = None  # default: claims paid - PLB (balanced)
    plbs: list = field(default_factory=list)  # (reason, reference, amount)
    method: str = "ACH"
    date: str = "20250201"
    payer_name: str = "TEST HEALTH PLAN"
    payer_id: str = "THP01"
    payer_tin: str = "1999999999"
    payee_name: str = "TEST LABORATORY"
    payee_npi: str = "1234567893"

    def balanced_amount(self):
        return sum((Decimal(c.paid) for c in self.claims), Decimal("0")) - sum(
            (Decimal(p[2]) for p in self.plbs), Decimal("0")
        )


def _cas(group_items):
    """CAS segments from (group, reason, amount) triplets, grouped by group code, 6 per segment."""
    by_group = {}
    for group, reason, amount in group_items:
        by_group.setdefault(group, []).append((reason, Decimal(amount)))
    for group, items in by_group.items():
        for start in range(0, len(items), 6):
            values = [group]
            for reason, amount in items[start : start + 6]:
                values += [reason, amount, None]
            yield ("CAS", *values)


def payment_segments(payment):
    amount = payment.amount if payment.amount is not None else payment.balanced_amount()
    handling = "I" if amount else "H"
    method = payment.method if amount else "NON"
    yield ("BPR", handling, amount, "C", method, *([None] * 11), payment.date)
    yield ("TRN", "1", payment.trace, payment.payer_tin)
    yield ("DTM", "405", payment.date)
    yield ("N1", "PR", payment.payer_name, "XV", payment.payer_id)
    yield ("PER", "BL", "EDI SUPPORT", "TE", "8005550100")
    yield ("N1", "PE", payment.payee_name, "XX", payment.payee_npi)
    yield ("LX", "1")
    for claim in payment.claims:
        yield (
            "CLP", claim.number, claim.status, Decimal(claim.charge), Decimal(claim.paid),
            claim.patient_responsibility() or None, "12", claim.payer_claim_number or f"ICN{claim.number}", "11", "1",
        )  # fmt: skip
        yield from _cas(claim.adjustments)
        yield ("NM1", "QC", "1", claim.patient_last, claim.patient_first, None, None, None, "MI", claim.member_id)
        if claim.remarks:
            yield ("MOA", None, None, *claim.remarks[:5])
        if claim.original_reference:
            yield ("REF", "F8", claim.original_reference)
        yield ("DTM", "232", claim.date)
        yield ("DTM", "233", claim.date)
        for service in claim.services:
            yield (
                "SVC", ("HC", service.code, *service.modifiers), Decimal(service.charge), Decimal(service.paid),
                None, service.units,
            )  # fmt: skip
            yield ("DTM", "472", service.date)
            yield from _cas(service.adjustments)
            if service.control_number:
                yield ("REF", "6R", service.control_number)
    if payment.plbs:
        values = []
        for reason, reference, amount in payment.plbs:
            values += [(reason, reference) if reference else reason, Decimal(amount)]
        for start in range(0, len(values), 12):
            yield ("PLB", payment.payee_npi, "20251231", *values[start : start + 12])


def generate(payments, control_number=1, delimiters=x12.DEFAULT_DELIMITERS, line_break=True, stream=None):
    """The text of one interchange with one 835 transaction per payment."""
    out = stream if stream is not None else io.StringIO()
    writer = x12.X12Writer(out, delimiters=delimiters, line_break=line_break)
    when = datetime.datetime(2025, 2, 1, 12, 0)
    writer.start_interchange("THP01", "TESTLAB", control_number, when=when, usage="T")
    writer.start_group("HP", "THP01", "TESTLAB", control_number, "005010X221A1", when=when)
    for number, payment in enumerate(payments, start=1):
        writer.transaction("835", f"{number:04d}", payment_segments(payment))
    writer.end_group()
    writer.end_interchange()
    return None if stream is not None else out.getvalue()
