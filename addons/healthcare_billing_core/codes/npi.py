"""National Provider Identifier check digit.

An NPI is ten digits; the tenth is a Luhn check digit computed over the first
nine prefixed with the card issuer identifier 80840 (CMS, "NPI check digit").
"""


def _luhn_sum(digits):
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def is_valid_npi(value):
    """Return True when ``value`` is a ten-digit NPI with a valid check digit."""
    if not isinstance(value, str) or len(value) != 10 or not value.isdigit():
        return False
    return _luhn_sum("80840" + value) % 10 == 0
