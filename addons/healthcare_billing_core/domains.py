"""Search domains for records valid over a period (``date_from``/``date_to``, an empty end is open)."""


def in_force_domain(on_date, date_from="date_from", date_to="date_to"):
    """Records valid on ``on_date`` (both ends included)."""
    return [(date_from, "<=", on_date), "|", (date_to, "=", False), (date_to, ">=", on_date)]


def overlap_domain(start, end, date_from="date_from", date_to="date_to"):
    """Records whose period meets the period ``start``..``end`` (``end`` may be empty: open)."""
    domain = ["|", (date_to, "=", False), (date_to, ">=", start)]
    if end:
        domain.append((date_from, "<=", end))
    return domain
