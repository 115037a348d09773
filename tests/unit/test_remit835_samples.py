"""Every public 835 sample: read, validated and balanced with the outcome SOURCES.md documents.

The parsed model of each sample is compared with ``tests/samples/expected/<name>.json``
of remittance_import; a difference is shown as a unified diff.  After a deliberate
change, regenerate with ``HC_UPDATE_EXPECTED=1 python3 -m pytest tests/unit/test_remit835_samples.py``
and review the diff of the expected files.
"""

import difflib
import json
import os
import pathlib

import pytest
import remit835

SAMPLES = pathlib.Path(__file__).resolve().parents[2] / "addons" / "remittance_import" / "tests" / "samples"
EXPECTED = SAMPLES / "expected"
FILES = sorted(p.name for p in SAMPLES.glob("*.835"))

# The verdict SOURCES.md documents: True = balances and may be posted.
OUTCOME = {
    "lfh_835_medicare_part_a_plb.835": True,
    "lfh_835_secondary_payment.835": True,
    "badx12_835_multiple_claims_single_check.835": True,
    "badx12_835_dollars_data_separate.835": True,
    "badx12_835_secondary_negative_cas.835": True,
    "e835_emedny_denials_multi_claim.835": True,
    "e835_uhc_gt_component_sep.835": True,
    "e835_bcbsnc_no_isa_envelope.835": False,  # True only with default delimiters
    "tigershark_835_pipe_component_sep.835": True,
    "tigershark_835_denial_and_paid.835": True,
    "pyx12_835_denied_ts3_lq.835": True,
    "pyx12_4010_835_reversal_correction_plb.835": False,  # 4010 and unbalanced
    "editools_4010_835_multi_st_reversals.835": False,  # 4010: refused, naming the version
    "synthetic_5010_835_reversal_plb_multi_st.835": True,
}


def _read(name, default_delimiters=False):
    return remit835.read_file((SAMPLES / name).read_bytes(), default_delimiters=default_delimiters)


def test_every_sample_has_an_outcome():
    assert sorted(OUTCOME) == FILES


@pytest.mark.parametrize("name", FILES)
def test_sample_matches_expected_output(name):
    result = _read(name, default_delimiters=name == "e835_bcbsnc_no_isa_envelope.835")
    actual = json.dumps(remit835.serialize.file_result(result), indent=1, sort_keys=True) + "\n"
    path = EXPECTED / (name + ".json")
    if os.environ.get("HC_UPDATE_EXPECTED") or not path.exists():
        path.write_text(actual)
    expected = path.read_text()
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(path), "actual"))
        pytest.fail(f"{name} differs from its expected output:\n{diff}")


@pytest.mark.parametrize("name", FILES)
def test_sample_outcome(name):
    assert _read(name).ok is OUTCOME[name], [p.describe() for p in _read(name).errors]


def test_no_envelope_is_refused_unless_default_delimiters():
    refused = _read("e835_bcbsnc_no_isa_envelope.835")
    assert [p.code for p in refused.errors] == ["no_isa"]
    assert "does not start with an ISA interchange header" in refused.errors[0].message
    accepted = _read("e835_bcbsnc_no_isa_envelope.835", default_delimiters=True)
    assert accepted.ok
    assert accepted.remittances[0].amount == remit835.parser.Decimal("1922.86")


def test_unbalanced_4010_is_refused_with_its_version_and_numbers():
    messages = [p.message for p in _read("pyx12_4010_835_reversal_correction_plb.835").errors]
    assert any("version 004010X091A1" in m for m in messages)
    assert any(
        "BPR02 is 5950.21, but the claims pay -510.25 and the provider-level adjustments take -977.94" in m
        for m in messages
    )


def test_4010_multi_st_is_read_but_refused_naming_its_version():
    result = _read("editools_4010_835_multi_st_reversals.835")
    assert [r.control_number for r in result.remittances] == ["07504123", "99999"]
    first, second = result.remittances
    assert first.trace_number == second.trace_number
    assert {p.code for p in result.errors} == {"version"}
    assert all(not remit835.balancing.check(r) for r in result.remittances)  # both balance


def test_plb_sign_raises_or_lowers_the_payment():
    medicare = _read("lfh_835_medicare_part_a_plb.835").remittances[0]
    assert medicare.amount == medicare.claims_paid_total - medicare.provider_adjustment_total
    assert str(medicare.provider_adjustment_total) == "-1.27"
    synthetic = _read("synthetic_5010_835_reversal_plb_multi_st.835").remittances[0]
    assert [(p.reason, str(p.amount)) for p in synthetic.provider_adjustments] == [
        ("WO", "45"),
        ("L6", "-2.5"),
        ("FB", "12"),
    ]
    assert str(synthetic.amount) == "513.5"


def test_claim_level_and_multi_triplet_cas_are_kept():
    synthetic = _read("synthetic_5010_835_reversal_plb_multi_st.835").remittances[0]
    codes = [(a.group, a.reason, str(a.amount), a.level) for c in synthetic.claims for a in c.all_adjustments()]
    assert ("CO", "253", "2", "service") in codes or ("CO", "253", "2", "claim") in codes
    reversal = next(c for c in synthetic.claims if c.is_reversal)
    assert reversal.paid < 0 and reversal.charge < 0


def test_negative_cas_amount():
    claim = _read("badx12_835_secondary_negative_cas.835").remittances[0].claims[0]
    assert ("OA", "94", "-9") in [(a.group, a.reason, str(a.amount)) for a in claim.all_adjustments()]


def test_repeated_clp01_claims_are_all_kept():
    claims = _read("badx12_835_multiple_claims_single_check.835").remittances[0].claims
    assert len(claims) == 9
    assert {c.patient_control_number for c in claims} == {"7722337"}


def test_component_separators():
    pipe = _read("tigershark_835_pipe_component_sep.835").remittances[0]
    assert [(s.qualifier, s.code) for s in pipe.claims[0].services][:2] == [("AD", "D1110"), ("AD", "D2150")]
    gt = _read("e835_uhc_gt_component_sep.835").remittances[0]
    assert all(s.qualifier == "HC" for c in gt.claims for s in c.services)
    wrong = _read("lfh_835_secondary_payment.835").remittances[0]
    assert [(s.code, s.modifiers) for s in wrong.claims[1].services] == [("12345", ("26",)), ("66543", ("26",))]
    assert any(p.code == "component_separator" for p in wrong.warnings)
