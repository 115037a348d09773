"""The 835 balancing rules (X12 835 TR3 section 1.10.2.1), in Decimal.

1. service line: SVC02 - sum(service CAS) = SVC03
2. claim: CLP03 - sum(claim CAS) - sum(service CAS) = CLP04
3. transaction: BPR02 = sum(CLP04) - sum(PLB amounts)
"""

from .model import ZERO, Problem


def check(remittance):
    """Return the balancing ``Problem``s (errors) of a remittance, with the numbers."""
    problems = []
    control = remittance.control_number
    for claim in remittance.claims:
        number = claim.patient_control_number
        for line_no, service in enumerate(claim.services, start=1):
            adjustments = service.adjustment_total
            if service.charge - adjustments != service.paid:
                problems.append(
                    Problem(
                        "error",
                        "unbalanced_service",
                        f"Claim {number}, service line {line_no} ({service.code}) does not balance: "
                        f"charge {service.charge} - adjustments {adjustments} = {service.charge - adjustments}, "
                        f"but the payer paid {service.paid}.",
                        control,
                        service.position,
                        "SVC",
                    )
                )
        adjustments = claim.adjustment_total
        if claim.charge - adjustments != claim.paid:
            problems.append(
                Problem(
                    "error",
                    "unbalanced_claim",
                    f"Claim {number} does not balance: charge {claim.charge} - adjustments {adjustments} "
                    f"= {claim.charge - adjustments}, but the payer paid {claim.paid}.",
                    control,
                    claim.position,
                    "CLP",
                )
            )
    paid = remittance.claims_paid_total
    plb = remittance.provider_adjustment_total
    expected = paid - plb
    amount = remittance.amount if remittance.credit_debit != "D" else -remittance.amount
    if amount != expected:
        problems.append(
            Problem(
                "error",
                "unbalanced_payment",
                f"The payment does not balance: BPR02 is {remittance.amount}, but the claims pay {paid} "
                f"and the provider-level adjustments take {plb}, i.e. {expected} "
                f"(a difference of {amount - expected}).",
                control,
                None,
                "BPR",
                "BPR02",
            )
        )
    return problems


def interest_check(remittance):
    """Warnings: PLB L6 should equal -sum(AMT*I) (RFI 2123)."""
    interest = sum((c.interest for c in remittance.claims), ZERO)
    l6 = sum((p.amount for p in remittance.provider_adjustments if p.reason == "L6"), ZERO)
    if interest and l6 != -interest:
        return [
            Problem(
                "warning",
                "interest",
                f"Claim interest (AMT*I) totals {interest} but the PLB L6 interest is {l6}.",
                remittance.control_number,
            )
        ]
    return []


def validate(remittance):
    """Add the balancing problems to ``remittance.problems``; return True when nothing blocks posting."""
    remittance.problems.extend(check(remittance))
    remittance.problems.extend(interest_check(remittance))
    return not remittance.errors
