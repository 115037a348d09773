"""The pricing engine: the expected amount of a service line under a contract.

Precedence, first match wins:

1. a fee schedule line for the code with one of the line's modifiers (the
   line's modifiers are tried in their order);
2. a fee schedule line for the code without modifier;
3. the contract's default for unlisted codes (a percentage of the charge);
4. no rate: an explicit result with the reason.

A fee schedule line applies only on the dates of its own validity (both ends
included) when it has one; among several lines of one key valid on the date,
the one that started last wins.  Amounts are ``Decimal`` and rounded half-up
to the currency rounding.  Lookups are dictionary accesses: the cost of
pricing a line does not grow with the number of fee schedule lines.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

METHOD_PER_UNIT = "per_unit"  # fixed amount per billable unit
METHOD_PERCENT = "percent"  # percentage of the charge
METHOD_PER_LINE = "per_line"  # fixed amount per line, whatever the units
METHOD_UNLISTED_PERCENT = "unlisted_percent"  # the contract's default, percentage of the charge
METHODS = (METHOD_PER_UNIT, METHOD_PERCENT, METHOD_PER_LINE)

UNLISTED_PERCENT = "percent"
UNLISTED_NONE = "none"

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class FeeRule:
    """One fee schedule line."""

    rule_id: int
    code: str
    method: str
    value: Decimal  # amount for per_unit / per_line, percentage for percent
    modifier: str = ""
    date_from: date | None = None
    date_to: date | None = None
    max_units: Decimal | None = None

    def valid_on(self, day):
        return (self.date_from is None or self.date_from <= day) and (self.date_to is None or day <= self.date_to)


@dataclass(frozen=True)
class ContractTerms:
    rules: tuple = ()
    unlisted_method: str = UNLISTED_NONE
    unlisted_percent: Decimal = Decimal(0)
    rounding: Decimal = Decimal("0.01")


@dataclass(frozen=True)
class PricingLine:
    date_of_service: date
    code: str
    units: Decimal
    charge_amount: Decimal
    modifiers: tuple = ()


@dataclass(frozen=True)
class PriceResult:
    amount: Decimal | None
    method: str | None
    rule_id: int | None
    billable_units: Decimal
    reason: str | None = None

    @property
    def has_rate(self):
        return self.amount is not None


def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


class PriceIndex:
    """Fee schedule lines indexed by (code, modifier), built once per contract."""

    def __init__(self, terms):
        self.terms = terms
        self._rounding = _decimal(terms.rounding)
        rules = defaultdict(list)
        for rule in terms.rules:
            if rule.method not in METHODS:
                raise ValueError(f"unknown pricing method {rule.method!r}")
            rules[(rule.code.upper(), (rule.modifier or "").upper())].append(rule)
        # Latest start first, so that the first valid rule is the most recent one.
        self._modifiers_by_code = defaultdict(set)
        for code, modifier in rules:
            self._modifiers_by_code[code].add(modifier)
        self._rules = {
            key: sorted(items, key=lambda r: (r.date_from or date.min, r.rule_id), reverse=True)
            for key, items in rules.items()
        }

    def _round(self, amount):
        return (amount / self._rounding).quantize(Decimal(1), rounding=ROUND_HALF_UP) * self._rounding

    def _find(self, key, day):
        for rule in self._rules.get(key, ()):
            if rule.valid_on(day):
                return rule
        return None

    def match(self, line):
        """Return the fee schedule line that prices ``line``, or None."""
        code = line.code.upper()
        for modifier in line.modifiers:
            rule = self._find((code, modifier.upper()), line.date_of_service)
            if rule:
                return rule
        return self._find((code, ""), line.date_of_service)

    def _no_rate_reason(self, line):
        code = line.code.upper()
        modifiers = self._modifiers_by_code.get(code)
        if not modifiers:
            return f"code {line.code} is not in the fee schedule and the contract has no price for unlisted codes"
        if "" in modifiers or modifiers & {m.upper() for m in line.modifiers}:
            return f"the fee schedule lines of code {line.code} are not valid on {line.date_of_service.isoformat()}"
        return f"code {line.code} is priced only with modifier {', '.join(sorted(modifiers))}"

    def price(self, line):
        units = _decimal(line.units)
        charge = _decimal(line.charge_amount)
        if units <= 0:
            return PriceResult(None, None, None, units, reason="units must be positive")
        rule = self.match(line)
        if rule is None:
            if self.terms.unlisted_method == UNLISTED_PERCENT:
                amount = self._round(charge * _decimal(self.terms.unlisted_percent) / HUNDRED)
                return PriceResult(amount, METHOD_UNLISTED_PERCENT, None, units)
            reason = self._no_rate_reason(line)
            return PriceResult(None, None, None, units, reason=reason)
        billable = min(units, _decimal(rule.max_units)) if rule.max_units else units
        value = _decimal(rule.value)
        if rule.method == METHOD_PER_UNIT:
            amount = value * billable
        elif rule.method == METHOD_PER_LINE:
            amount = value
        else:  # percentage of the charge of the billable units
            amount = charge * (billable / units) * value / HUNDRED
        return PriceResult(self._round(amount), rule.method, rule.rule_id, billable)
