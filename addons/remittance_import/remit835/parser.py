"""Interpret one X12 835 transaction: loops, claims, service lines, adjustments, PLB.

Parsing is lenient (real files miss optional and even required segments) and every
deviation is recorded as a ``Problem``; ``balancing.check`` and ``validate`` decide
what blocks posting.
"""

from decimal import Decimal

from ._x12 import x12
from .model import (
    CLAIM_STATUSES_4010_ONLY,
    CLAIM_STATUSES_5010,
    GROUPS_4010_ONLY,
    GROUPS_5010,
    SUPPORTED_VERSIONS,
    Adjustment,
    Claim,
    Problem,
    ProviderAdjustment,
    Remittance,
    ServiceLine,
)

# Segments of each loop that we read or knowingly skip; anything else is a warning.
HEADER = {"BPR", "TRN", "CUR", "REF", "DTM"}
PARTY = {"N3", "N4", "REF", "PER", "RDM"}
CLAIM = {"CAS", "NM1", "MIA", "MOA", "REF", "DTM", "PER", "AMT", "QTY"}
SERVICE = {"DTM", "CAS", "REF", "AMT", "QTY", "LQ"}


class _Parser:
    def __init__(self, transaction):
        self.transaction = transaction
        self.control = transaction.control_number
        version = transaction.version
        self.remittance = Remittance(
            control_number=self.control,
            version=version,
            segment_count=len(transaction.segments),
            sha256=transaction.sha256,
            reference=transaction.reference,
        )
        self.is_4010 = version.startswith("004010")
        self.loop = "header"
        self.claim = None
        self.service = None
        self.seen = set()

    def problem(self, severity, code, message, segment=None, index=None):
        self.remittance.problems.append(
            Problem(
                severity,
                code,
                message,
                self.control,
                segment.position if segment is not None else None,
                segment.id if segment is not None else None,
                segment.ref(index) if segment is not None and index is not None else None,
            )
        )

    def amount(self, segment, index, label, required=False):
        try:
            value = segment.decimal(index, label, required=required)
        except x12.X12SegmentError as error:
            self.remittance.problems.append(Problem.from_x12(error))
            return Decimal("0")
        return value if value is not None else Decimal("0")

    def line_amount(self, segment, index, label):
        """SVC02/SVC03: required, but seen empty in real files; read as 0 with a warning (the
        claim balancing still checks the money)."""
        if segment[index] == "":
            self.problem("warning", "required_element", f"{segment.ref(index)} ({label}) is empty; read as 0.",
                         segment, index)  # fmt: skip
        return self.amount(segment, index, label)

    def quantity(self, segment, index):
        try:
            return segment.decimal(index, "quantity")
        except x12.X12SegmentError as error:
            self.remittance.problems.append(Problem.from_x12(error, "warning"))
            return None

    def run(self):
        transaction = self.transaction
        if transaction.set_id != "835":
            self.problem(
                "error",
                "not_835",
                f"This is an X12 {transaction.set_id} transaction, not an 835 remittance advice.",
                transaction.segments[0],
                1,
            )
            return self.remittance
        self.check_version()
        for warning in transaction.warnings:
            self.remittance.problems.append(Problem.from_x12(warning, "warning"))
        for segment in transaction.body:
            handler = getattr(self, f"on_{segment.id}", None)
            if handler is not None and handler(segment) is not False:
                continue
            self.on_other(segment)
        self.finish()
        return self.remittance

    def check_version(self):
        version = self.remittance.version
        first = self.transaction.segments[0]
        if version in SUPPORTED_VERSIONS:
            return
        if not version:
            self.problem(
                "warning",
                "no_version",
                "The transaction names no implementation guide (no GS08 nor ST03); it is read as 005010X221A1.",
                first,
            )
            return
        self.problem(
            "error",
            "version",
            f"The file is an 835 of version {version}; only version 005010X221A1 (HIPAA 5010) is posted. "
            "Ask the payer or clearinghouse for a 5010 file.",
            first,
            3 if first[3] else None,
        )

    # -- header -------------------------------------------------------------------
    def on_BPR(self, seg):
        if self.loop != "header" or "BPR" in self.seen:
            return False
        self.seen.add("BPR")
        r = self.remittance
        r.handling_code = seg[1]
        r.amount = self.amount(seg, 2, "total payment", required=True)
        r.credit_debit = seg[3] or "C"
        r.method = seg[4]
        r.payment_date = seg[16]
        if seg[1] not in ("C", "D", "H", "I", "P", "U", "X"):
            self.problem("error", "bad_code", f"BPR01 {seg[1]!r} is not a transaction handling code.", seg, 1)
        if r.credit_debit not in ("C", "D"):
            self.problem("error", "bad_code", f"BPR03 {seg[3]!r} must be C (credit) or D (debit).", seg, 3)
        if r.amount < 0:
            self.problem("error", "negative_payment", "BPR02, the total payment, is negative.", seg, 2)
        if not seg[16]:
            self.problem("warning", "required_element", "BPR16 (payment date) is missing.", seg, 16)
        return True

    def on_TRN(self, seg):
        if self.loop != "header":
            return False
        self.seen.add("TRN")
        self.remittance.trace_number = seg[2]
        self.remittance.payer_trn_id = seg[3]
        if not seg[2]:
            self.problem("error", "required_element", "TRN02 (the check or EFT trace number) is empty.", seg, 2)
        return True

    def on_N1(self, seg):
        if self.loop in ("claim", "service", "plb"):
            return False
        r = self.remittance
        if seg[1] == "PR":
            self.loop = "payer"
            r.payer_name = seg[2]
            r.payer_id = seg[4]
        elif seg[1] == "PE":
            self.loop = "payee"
            r.payee_name = seg[2]
            r.payee_id_qualifier = seg[3]
            r.payee_id = seg[4]
        else:
            return False
        self.seen.add(f"N1*{seg[1]}")
        return True

    def on_N3(self, seg):
        return self.loop in ("payer", "payee")

    on_N4 = on_N3
    on_RDM = on_N3

    def on_PER(self, seg):
        if self.loop == "payer":
            if seg[1] == "BL":
                self.seen.add("PER*BL")
            return True
        return self.loop in ("payee", "claim")

    def on_REF(self, seg):
        if self.loop == "payer" and seg[1] == "2U" and not self.remittance.payer_id:
            self.remittance.payer_id = seg[2]
            return True
        if self.loop in ("header", "payer", "payee"):
            return True
        if self.loop == "claim":
            if seg[1] == "F8":
                self.claim.original_reference = seg[2]
            return True
        if self.loop == "service":
            if seg[1] == "6R":
                self.service.control_number = seg[2]
            return True
        return False

    def on_DTM(self, seg):
        if self.loop == "header":
            if seg[1] == "405":
                self.remittance.production_date = seg[2]
            return True
        if self.loop == "claim":
            if seg[1] == "232":
                self.claim.statement_from = seg[2]
            elif seg[1] == "233":
                self.claim.statement_to = seg[2]
            elif seg[1] == "050":
                self.claim.received = seg[2]
            return True
        if self.loop == "service":
            if seg[1] == "472":
                self.service.date_from = self.service.date_to = seg[2]
            elif seg[1] == "150":
                self.service.date_from = seg[2]
            elif seg[1] == "151":
                self.service.date_to = seg[2]
            return True
        return False

    # -- detail ---------------------------------------------------------------------
    def on_LX(self, seg):
        if self.loop == "plb":
            return False
        self.close_claim()
        self.loop = "lx"
        self.seen.add("LX")
        return True

    def on_TS3(self, seg):
        return self.loop == "lx"

    on_TS2 = on_TS3

    def on_CLP(self, seg):
        if self.loop == "plb" or self.loop in ("header", "payer"):
            return False
        if self.loop == "payee" and "LX" not in self.seen:
            self.problem("warning", "missing_segment", "The claim is not preceded by an LX header.", seg)
        self.close_claim()
        status = seg[2]
        claim = Claim(
            patient_control_number=seg[1],
            status=status,
            charge=self.amount(seg, 3, "claim charge", required=True),
            paid=self.amount(seg, 4, "claim payment", required=True),
            patient_responsibility=self.amount(seg, 5, "patient responsibility"),
            filing_indicator=seg[6],
            payer_claim_number=seg[7],
            facility_code=seg.components(8)[0] if seg[8] else "",
            frequency=seg[9],
            position=seg.position,
            index=len(self.remittance.claims) + 1,
        )
        if not seg[1]:
            self.problem("error", "required_element", "CLP01 (our claim number) is empty.", seg, 1)
        if status not in CLAIM_STATUSES_5010:
            if self.is_4010 and status in CLAIM_STATUSES_4010_ONLY:
                pass
            else:
                self.problem("error", "bad_code", f"CLP02 {status!r} is not a claim status code of the 835.", seg, 2)
        self.claim = claim
        self.remittance.claims.append(claim)
        self.loop = "claim"
        return True

    def on_CAS(self, seg):
        if self.loop not in ("claim", "service"):
            return False
        group = seg[1]
        if group not in GROUPS_5010 and not (self.is_4010 and group in GROUPS_4010_ONLY):
            self.problem("error", "bad_code", f"CAS01 {group!r} is not an adjustment group (CO, PR, OA, PI).", seg, 1)
        level = self.loop
        target = self.service if level == "service" else self.claim
        for index in range(2, 20, 3):
            reason = seg[index]
            if not reason:
                if seg[index + 1]:
                    self.problem("error", "required_element", "An adjustment amount has no reason code.", seg, index)
                continue
            amount = self.amount(seg, index + 1, f"adjustment {group}-{reason}", required=True)
            target.adjustments.append(
                Adjustment(group, reason, amount, self.quantity(seg, index + 2), level, seg.position)
            )
        return True

    def on_NM1(self, seg):
        if self.loop != "claim":
            return False
        if seg[1] == "QC":
            self.claim.patient_name = " ".join(p for p in (seg[4], seg[3]) if p) or seg[3]
            self.claim.patient_id = seg[9]
        elif seg[1] == "IL":
            self.claim.insured_id = seg[9]
        elif seg[1] == "TT":
            self.claim.crossover_payer = seg[3]
        return True

    def on_MOA(self, seg):
        if self.loop != "claim":
            return False
        # MOA03..07 are RARCs; MIA05, MIA20..24 are RARCs.
        indexes = range(3, 8) if seg.id == "MOA" else (5, 20, 21, 22, 23, 24)
        self.claim.remarks.extend(seg[i] for i in indexes if seg[i])
        return True

    on_MIA = on_MOA

    def on_AMT(self, seg):
        if self.loop == "claim":
            if seg[1] == "I":
                self.claim.interest = self.amount(seg, 2, "interest")
            return True
        if self.loop == "service":
            if seg[1] == "B6":
                self.service.allowed = self.amount(seg, 2, "allowed amount")
            return True
        return False

    def on_QTY(self, seg):
        return self.loop in ("claim", "service")

    def on_SVC(self, seg):
        if self.loop not in ("claim", "service"):
            return False
        composite = seg.components(1)
        if len(composite) == 1 and composite and not composite[0].isalnum():
            for other in (">", ":", "|", "^"):
                if other in composite[0]:
                    self.problem(
                        "warning",
                        "component_separator",
                        f"SVC01 {seg[1]!r} does not use the component separator "
                        f"{seg.delimiters.component!r} of the ISA header; read with {other!r}.",
                        seg,
                        1,
                    )
                    composite = tuple(composite[0].split(other))
                    break
        submitted = seg.components(6)
        service = ServiceLine(
            qualifier=composite[0] if composite else "",
            code=composite[1] if len(composite) > 1 else "",
            modifiers=tuple(m for m in composite[2:6] if m),
            charge=self.line_amount(seg, 2, "line charge"),
            paid=self.line_amount(seg, 3, "line payment"),
            revenue_code=seg[4],
            units=self.quantity(seg, 5),
            submitted_code=submitted[1] if len(submitted) > 1 else "",
            submitted_modifiers=tuple(m for m in submitted[2:6] if m),
            position=seg.position,
        )
        if not service.code:
            self.problem("error", "required_element", "SVC01 has no procedure code.", seg, 1)
        self.claim.services.append(service)
        self.service = service
        self.loop = "service"
        return True

    def on_LQ(self, seg):
        if self.loop != "service":
            return False
        if seg[1] == "HE" and seg[2]:
            self.service.remarks.append(seg[2])
        return True

    # -- summary ------------------------------------------------------------------------
    def on_PLB(self, seg):
        if self.loop == "header":
            return False
        self.close_claim()
        self.loop = "plb"
        for index in range(3, 15, 2):
            if not seg[index]:
                continue
            reason, *reference = seg.components(index)
            amount = self.amount(seg, index + 1, f"provider adjustment {reason}", required=True)
            self.remittance.provider_adjustments.append(
                ProviderAdjustment(seg[1], seg[2], reason, ":".join(reference), amount, seg.position)
            )
        return True

    def on_other(self, seg):
        self.problem(
            "warning",
            "unexpected_segment",
            f"Segment {seg.id} is not expected here (in the {self.loop} part of the 835); it is ignored.",
            seg,
        )

    def close_claim(self):
        self.claim = None
        self.service = None

    def finish(self):
        first = self.transaction.segments[0]
        for required, label in (
            ("BPR", "BPR (the payment)"),
            ("TRN", "TRN (the trace number)"),
            ("N1*PR", "N1*PR (the payer)"),
            ("N1*PE", "N1*PE (the payee)"),
        ):
            if required not in self.seen:
                self.problem("error", "missing_segment", f"The required segment {label} is missing.", first)
        if "N1*PR" in self.seen and "PER*BL" not in self.seen:
            self.problem("warning", "missing_segment", "The payer's technical contact (PER*BL) is missing.", first)
        for claim in self.remittance.claims:
            if claim.status == "4" and claim.paid != 0:
                seg = None
                self.problem(
                    "warning",
                    "denied_with_payment",
                    f"Claim {claim.patient_control_number} is denied (CLP02 4) but pays {claim.paid}.",
                    seg,
                )


def parse_transaction(transaction):
    """A ``Remittance`` from one ``x12.Transaction``."""
    return _Parser(transaction).run()


def parse(source, default_delimiters=False):
    """Yield a ``Remittance`` per 835 transaction of ``source`` (streaming)."""
    for transaction in x12.read_transactions(source, default_delimiters=default_delimiters):
        yield parse_transaction(transaction)
