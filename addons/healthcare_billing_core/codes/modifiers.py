"""CPT/HCPCS modifiers: two letters or digits each, at most four per line."""

import re

_MODIFIER_RE = re.compile(r"^[0-9A-Z]{2}$")
MAX_MODIFIERS = 4


def parse_modifiers(value):
    """Parse modifiers given as a list or a comma/space separated string.

    Returns ``(modifiers, errors)``: the upper-case modifiers in order, and a
    list of human-readable problems (empty when the input is valid).
    """
    if isinstance(value, (list, tuple)):
        items = [str(item) for item in value]
    else:
        items = re.split(r"[,;\s]+", value or "")
    modifiers, errors = [], []
    for item in items:
        item = item.strip().upper()
        if not item:
            continue
        if not _MODIFIER_RE.match(item):
            errors.append(f"'{item}' is not a two-character modifier")
        else:
            modifiers.append(item)
    if len(modifiers) > MAX_MODIFIERS:
        errors.append(f"at most {MAX_MODIFIERS} modifiers are allowed")
    return modifiers, errors
