"""Fail for text files that do not end with exactly one newline (pre-commit hook)."""

import sys

bad = []
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        data = handle.read()
    if data and (not data.endswith(b"\n") or data.endswith(b"\n\n")):
        bad.append(path)
for path in bad:
    print(f"{path}: must end with exactly one newline")
sys.exit(1 if bad else 0)
