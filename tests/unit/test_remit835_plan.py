"""remit835: generated files (every posting case) through parsing, balancing and the posting plan."""

from decimal import Decimal as D

import pytest
import remit835
from remit835 import plan as P
from remit835.generator import GenClaim, GenPayment, GenService, generate


def _claim(number="C1", charge="100", paid="60", co="30", pr="10", status="1", **kw):
    adjustments = [a for a in (("CO", "45", D(co)), ("PR", "2", D(pr))) if a[2]]
    service = GenService("85027", D(charge), D(paid), adjustments, control_number=f"{number}-1")
    return GenClaim(number, D(charge), D(paid), status=status, services=[service], **kw)


def _read(*payments, **kw):
    return remit835.read_file(generate(list(payments), **kw))


def _facts(residual="100", total="100", **kw):
    return P.InvoiceFacts(key=1, residual=D(residual), total=D(total), **kw)


def test_full_payment():
    result = _read(GenPayment("T1", [_claim(paid="100", co="0", pr="0")]))
    assert result.ok
    remittance = result.remittances[0]
    plan = P.build_plan(remittance, {1: _facts()})
    claim = plan.claims[0]
    assert (claim.action, claim.payment, claim.contractual, claim.patient) == ("post", D("100"), 0, 0)
    assert plan.payment == D("100")


def test_partial_payment_with_co_and_pr():
    remittance = _read(GenPayment("T1", [_claim()])).remittances[0]
    assert remittance.claims[0].patient_responsibility == D("10")
    claim = P.build_plan(remittance, {1: _facts()}).claims[0]
    assert (claim.payment, claim.contractual, claim.patient, claim.other) == (D("60"), D("30"), D("10"), 0)
    assert claim.applied == D("100")


def test_denial_posts_nothing_and_keeps_reasons():
    denied = GenClaim("C2", D("150"), D("0"), status="4", adjustments=[("CO", "50", D("150"))], remarks=("N115",))
    remittance = _read(GenPayment("T1", [denied])).remittances[0]
    claim = P.build_plan(remittance, {1: _facts("150", "150")}).claims[0]
    assert (claim.action, claim.payment, claim.contractual, claim.denial) == ("deny", 0, 0, True)
    assert claim.reasons == ["CO-50", "N115"]
    assert remittance.amount == 0 and remittance.handling_code == "H"


def test_reversal_mirrors_the_earlier_posting():
    reversal = GenClaim(
        "C1", D("-100"), D("-60"), status="22",
        services=[GenService("85027", D("-100"), D("-60"), [("CO", "45", D("-30")), ("PR", "2", D("-10"))])],
    )  # fmt: skip
    correction = _claim(paid="70", co="30", pr="0")
    remittance = _read(GenPayment("T1", [reversal, correction])).remittances[0]
    assert remittance.amount == D("10")
    posted = {"payment": D("60"), "contractual": D("30"), "patient": D("10"), "other": D("0")}
    plan = P.build_plan(remittance, {1: _facts("0", posted=posted), 2: _facts("100")})
    first, second = plan.claims
    assert (first.action, first.payment, first.contractual, first.patient) == ("reverse", D("-60"), D("-30"), D("-10"))
    assert (second.action, second.payment, second.contractual) == ("post", D("70"), D("30"))


def test_reversal_without_original_goes_to_exceptions():
    reversal = GenClaim("C9", D("-100"), D("-60"), status="22", adjustments=[("CO", "45", D("-40"))])
    plan = P.build_plan(_read(GenPayment("T1", [reversal, _claim("C8", paid="60")])).remittances[0], {})
    assert plan.claims[0].exception == P.REVERSAL_UNMATCHED
    assert plan.unapplied == D("0")  # -60 + 60 waits in unapplied cash


def test_plb_reduces_and_interest_raises_the_payment():
    payment = GenPayment("T1", [_claim()], plbs=[("WO", "ICN1", D("5")), ("L6", "", D("-1.25"))])
    remittance = _read(payment).remittances[0]
    assert remittance.amount == D("56.25")
    plan = P.build_plan(remittance, {1: _facts()})
    assert plan.provider_adjustment_total == D("3.75")
    assert [(p.reason, p.reference, p.amount) for p in plan.provider_adjustments] == [
        ("WO", "ICN1", D("5")),
        ("L6", "", D("-1.25")),
    ]


def test_several_transactions_per_file():
    result = _read(GenPayment("T1", [_claim()]), GenPayment("T2", [_claim("C2", paid="100", co="0", pr="0")]))
    assert result.ok
    assert [(r.trace_number, r.amount) for r in result.remittances] == [("T1", D("60")), ("T2", D("100"))]


def test_unknown_claim_waits_in_unapplied_cash():
    plan = P.build_plan(_read(GenPayment("T1", [_claim()])).remittances[0], {})
    claim = plan.claims[0]
    assert (claim.action, claim.exception, claim.unapplied, claim.payment) == ("exception", P.UNKNOWN_CLAIM, D("60"), 0)
    assert plan.unapplied == D("60")


def test_overpayment_and_settled_invoice_are_exceptions():
    remittance = _read(GenPayment("T1", [_claim()])).remittances[0]
    assert P.build_plan(remittance, {1: _facts("50")}).claims[0].exception == P.OVERPAYMENT
    assert P.build_plan(remittance, {1: _facts("0")}).claims[0].exception == P.ALREADY_SETTLED


def test_charge_and_patient_mismatch():
    remittance = _read(GenPayment("T1", [_claim()])).remittances[0]
    assert P.build_plan(remittance, {1: _facts(total="120")}).claims[0].exception == P.CHARGE_MISMATCH
    assert P.build_plan(remittance, {1: _facts(patient_ok=False)}).claims[0].exception == P.PATIENT_MISMATCH


def test_underpayment_against_the_contract_beyond_tolerance():
    remittance = _read(GenPayment("T1", [_claim()])).remittances[0]
    assert P.build_plan(remittance, {1: _facts(expected=D("75"))}).claims[0].exception == P.UNDERPAYMENT
    within = P.build_plan(remittance, {1: _facts(expected=D("75"))}, tolerance=D("5"))
    assert within.claims[0].action == "post"


def test_mapping_is_configuration():
    remittance = _read(GenPayment("T1", [_claim()])).remittances[0]
    mapping = P.CarcMapping(rules={("CO", "45"): P.OTHER})
    claim = P.build_plan(remittance, {1: _facts()}, mapping).claims[0]
    assert (claim.contractual, claim.other) == (0, D("30"))
    held = P.build_plan(remittance, {1: _facts()}, P.CarcMapping(rules={("PR", "2"): P.REVIEW})).claims[0]
    assert held.exception == P.HOLD_FOR_REVIEW
    denial = P.build_plan(remittance, {1: _facts()}, P.CarcMapping(rules={("CO", "45"): P.DENIAL})).claims[0]
    assert (denial.action, denial.denial, denial.left_open, denial.contractual) == ("post", True, D("30"), 0)


def test_unbalanced_file_is_refused_with_its_numbers():
    result = _read(GenPayment("T1", [_claim()], amount=D("65")))
    assert not result.ok
    assert [p.code for p in result.errors] == ["unbalanced_payment"]
    assert "BPR02 is 65, but the claims pay 60" in result.errors[0].message
    with pytest.raises(AssertionError):
        P.build_plan(result.remittances[0], {1: _facts()})


def test_unbalanced_claim_and_line():
    text = generate([GenPayment("T1", [_claim()])]).replace("CAS*CO*45*30", "CAS*CO*45*25")
    codes = sorted(p.code for p in remit835.read_file(text).errors)
    assert codes == ["unbalanced_claim", "unbalanced_service"]


def test_malformed_segment_and_bad_amount():
    text = generate([GenPayment("T1", [_claim()])])
    broken = remit835.read_file(text.replace("CLP*C1*1*100", "CLP*C1*1*1O0"))
    assert any(p.element == "CLP03" and "not a number" in p.message for p in broken.errors)
    malformed = remit835.read_file(text.replace("NM1*QC", "N-1*QC"))
    assert malformed.errors[0].code == "malformed" and not malformed.remittances


def test_truncated_file():
    text = generate([GenPayment("T1", [_claim()]), GenPayment("T2", [_claim("C2")])])
    result = remit835.read_file(text[: len(text) // 2 + 7])
    assert not result.ok
    assert any(p.code in ("truncated", "missing_se") for p in result.errors)


def test_not_an_835():
    text = generate([GenPayment("T1", [_claim()])]).replace("ST*835", "ST*837").replace("HP*THP01", "HC*THP01")
    assert [p.code for p in remit835.read_file(text).errors] == ["not_835"]


def test_missing_required_segments():
    text = generate([GenPayment("T1", [_claim()])])
    text = "\n".join(line for line in text.split("\n") if not line.startswith("TRN"))
    text = text.replace("SE*18*0001", "SE*17*0001")
    assert any("TRN (the trace number)" in p.message for p in remit835.read_file(text).errors)
