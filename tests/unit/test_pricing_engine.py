from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pricing import ContractTerms, FeeRule, PriceIndex, PricingLine

DOS = date(2025, 6, 2)


def line(code="85025", units=1, charge="31.08", modifiers=(), day=DOS):
    return PricingLine(day, code, D(str(units)), D(charge), tuple(modifiers))


def index(*rules, unlisted="none", percent="0", rounding="0.01"):
    return PriceIndex(ContractTerms(tuple(rules), unlisted, D(percent), D(rounding)))


BASE = FeeRule(1, "85025", "per_unit", D("7.77"))
QW = FeeRule(2, "85025", "per_unit", D("6.50"), modifier="QW")
RULE_91 = FeeRule(3, "85025", "per_unit", D("5.00"), modifier="91")


class TestPrecedence:
    def test_code_with_same_modifier_first(self):
        result = index(BASE, QW).price(line(modifiers=["QW"]))
        assert (result.amount, result.rule_id, result.method) == (D("6.50"), 2, "per_unit")

    def test_modifiers_tried_in_line_order(self):
        idx = index(BASE, QW, RULE_91)
        assert idx.price(line(modifiers=["91", "QW"])).rule_id == 3
        assert idx.price(line(modifiers=["QW", "91"])).rule_id == 2
        assert idx.price(line(modifiers=["59", "QW"])).rule_id == 2

    def test_code_without_modifier_next(self):
        assert index(BASE, QW).price(line(modifiers=["26"])).rule_id == 1
        assert index(BASE, QW).price(line()).rule_id == 1

    def test_modifier_rule_never_prices_a_line_without_it(self):
        result = index(QW).price(line())
        assert not result.has_rate
        assert "not valid" not in result.reason

    def test_unlisted_default_then_no_rate(self):
        result = index(BASE, unlisted="percent", percent="40").price(line(code="80053", charge="42.24"))
        assert (result.amount, result.method, result.rule_id) == (D("16.90"), "unlisted_percent", None)
        result = index(BASE).price(line(code="80053"))
        assert result.amount is None and not result.has_rate
        assert "80053" in result.reason and "not in the fee schedule" in result.reason

    def test_codes_are_case_insensitive(self):
        rule = FeeRule(9, "g0480", "per_unit", D("100"), modifier="qw")
        assert index(rule).price(line(code="G0480", modifiers=["QW"])).rule_id == 9


class TestDates:
    RULE = FeeRule(1, "85025", "per_unit", D("7.77"), date_from=date(2025, 1, 1), date_to=date(2025, 3, 31))
    NEXT = FeeRule(2, "85025", "per_unit", D("8.00"), date_from=date(2025, 4, 1))

    @pytest.mark.parametrize(
        ("day", "rule_id"),
        [(date(2025, 1, 1), 1), (date(2025, 3, 31), 1), (date(2025, 4, 1), 2), (date(2030, 1, 1), 2)],
    )
    def test_boundaries_are_inclusive(self, day, rule_id):
        assert index(self.RULE, self.NEXT).price(line(day=day)).rule_id == rule_id

    def test_before_any_validity_is_no_rate_with_reason(self):
        result = index(self.RULE, self.NEXT).price(line(day=date(2024, 12, 31)))
        assert not result.has_rate
        assert "not valid on 2024-12-31" in result.reason

    def test_expired_modifier_rule_falls_back_to_base_code(self):
        old_qw = FeeRule(5, "85025", "per_unit", D("1"), modifier="QW", date_to=date(2025, 1, 31))
        assert index(BASE, old_qw).price(line(modifiers=["QW"])).rule_id == 1

    def test_latest_start_wins_when_several_are_valid(self):
        open_ended = FeeRule(1, "85025", "per_unit", D("7"), date_from=date(2024, 1, 1))
        newer = FeeRule(2, "85025", "per_unit", D("9"), date_from=date(2025, 1, 1))
        assert index(open_ended, newer).price(line()).rule_id == 2


class TestMethodsAndRounding:
    def test_per_unit(self):
        assert index(BASE).price(line(units=3, charge="93.24")).amount == D("23.31")

    def test_per_line_ignores_units(self):
        rule = FeeRule(1, "85025", "per_line", D("25.00"))
        assert index(rule).price(line(units=4, charge="124.32")).amount == D("25.00")

    def test_percent_of_charge_rounds_half_up(self):
        rule = FeeRule(1, "85025", "percent", D("50"))
        assert index(rule).price(line(charge="0.05")).amount == D("0.03")  # 0.025 -> 0.03
        assert index(rule).price(line(charge="31.08")).amount == D("15.54")

    def test_currency_rounding(self):
        rule = FeeRule(1, "85025", "percent", D("33.3333"))
        assert index(rule, rounding="1").price(line(charge="100")).amount == D("33")
        assert index(rule, rounding="0.05").price(line(charge="100")).amount == D("33.35")

    def test_unit_cap(self):
        capped = FeeRule(1, "85025", "per_unit", D("10"), max_units=D("2"))
        result = index(capped).price(line(units=5, charge="155.40"))
        assert (result.amount, result.billable_units) == (D("20.00"), D("2"))
        pct = FeeRule(1, "85025", "percent", D("50"), max_units=D("1"))
        assert index(pct).price(line(units=4, charge="100")).amount == D("12.50")  # half of one unit's charge

    def test_non_positive_units_have_no_rate(self):
        result = index(BASE).price(line(units=0))
        assert not result.has_rate and "units" in result.reason

    def test_unknown_method_refused(self):
        with pytest.raises(ValueError):
            index(FeeRule(1, "85025", "bogus", D("1")))


@given(
    units=st.integers(1, 50),
    price=st.decimals(min_value=0, max_value=10000, places=2),
    cap=st.one_of(st.none(), st.integers(1, 50)),
)
def test_per_unit_equals_price_times_billable_units(units, price, cap):
    rule = FeeRule(1, "85025", "per_unit", price, max_units=D(cap) if cap else None)
    result = index(rule).price(line(units=units, charge="1"))
    billable = min(units, cap) if cap else units
    assert result.billable_units == billable
    assert result.amount == (price * billable).quantize(D("0.01"))


@given(
    charge=st.decimals(min_value=0, max_value=100000, places=2), pct=st.decimals(min_value=0, max_value=300, places=2)
)
def test_percent_is_rounded_to_the_cent_and_within_half_a_cent(charge, pct):
    rule = FeeRule(1, "85025", "percent", pct)
    amount = index(rule).price(line(charge=str(charge))).amount
    assert amount == amount.quantize(D("0.01"))
    assert abs(amount - charge * pct / 100) <= D("0.005")


def test_lookup_cost_does_not_depend_on_the_schedule_size():
    rules = [FeeRule(i, f"C{i:05d}", "per_unit", D("1")) for i in range(20000)]
    idx = index(*rules)
    assert idx.price(line(code="C19999")).rule_id == 19999
    # The index is a dict keyed by (code, modifier): one lookup per modifier tried.
    assert len(idx._rules) == 20000
