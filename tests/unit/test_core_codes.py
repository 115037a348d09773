import pytest
from codes import is_valid_npi, normalize_icd10, parse_diagnosis_codes, parse_modifiers
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1679576722"])
def test_valid_npis(npi):
    assert is_valid_npi(npi)


@pytest.mark.parametrize("npi", ["1234567890", "123456789", "12345678931", "abcdefghij", "", None, 1234567893])
def test_invalid_npis(npi):
    assert not is_valid_npi(npi)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_exactly_one_check_digit_is_valid(prefix):
    assert sum(is_valid_npi(prefix + str(digit)) for digit in range(10)) == 1


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), st.integers(0, 9), st.integers(1, 9))
def test_a_changed_digit_is_detected(npi, position, delta):
    if not is_valid_npi(npi):
        return
    digits = list(npi)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not is_valid_npi("".join(digits))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("E11.9", "E11.9"),
        ("e119", "E11.9"),
        ("Z0000", "Z00.00"),
        ("R73.09", "R73.09"),
        ("S72.001A", "S72.001A"),
        ("I10", "I10"),
        ("J02.9 ", "J02.9"),
    ],
)
def test_icd10_normalized(raw, expected):
    assert normalize_icd10(raw) == expected


@pytest.mark.parametrize("raw", ["", "11.9", "E1", "E11.", "E11.12345", "E11-9", "Ü11.9", None])
def test_icd10_malformed(raw):
    assert normalize_icd10(raw) is None


def test_parse_diagnosis_codes_keeps_order_and_reports_invalid():
    codes, invalid = parse_diagnosis_codes("E11.9, z0000;E11.9 bad R73.09")
    assert codes == ["E11.9", "Z00.00", "R73.09"]
    assert invalid == ["bad"]


def test_parse_modifiers():
    assert parse_modifiers("91, qw") == (["91", "QW"], [])
    assert parse_modifiers(["59"]) == (["59"], [])
    assert parse_modifiers("") == ([], [])
    _mods, errors = parse_modifiers("91,QW,59,26,TC")
    assert errors == ["at most 4 modifiers are allowed"]
    _mods, errors = parse_modifiers("QWX")
    assert errors and "QWX" in errors[0]
