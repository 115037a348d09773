"""ICD-10-CM diagnosis code format.

A code is a letter, a digit, then a letter or digit (the category), optionally
followed by up to four letters or digits after a dot.  Claims carry codes
without the dot (X12 HI segment); people write them with it.  We store the
dotted form, upper case.  This checks the format only, not that the code exists
in the current code set.
"""

import re

_ICD10_RE = re.compile(r"^([A-Z][0-9][0-9A-Z])(?:\.?([0-9A-Z]{1,4}))?$")


def normalize_icd10(code):
    """Return the dotted upper-case form of ``code``, or None when malformed."""
    if not isinstance(code, str):
        return None
    match = _ICD10_RE.match(code.strip().upper())
    if not match:
        return None
    category, extension = match.groups()
    return f"{category}.{extension}" if extension else category


def parse_diagnosis_codes(text):
    """Split a comma/space separated list of codes.

    Returns ``(codes, invalid)``: the normalised codes in order without
    duplicates, and the entries that are not valid ICD-10-CM codes.
    """
    codes, invalid = [], []
    for raw in re.split(r"[,;\s]+", text or ""):
        if not raw:
            continue
        code = normalize_icd10(raw)
        if code is None:
            invalid.append(raw)
        elif code not in codes:
            codes.append(code)
    return codes, invalid
