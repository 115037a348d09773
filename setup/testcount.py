"""Read test outcomes for setup/test.

testcount.py junit FILE            -> "<tests> <failed+errors>" of a JUnit XML report
testcount.py odoo LOG              -> "<tests> <failed+errors>" of an odoo-bin --test-enable log
testcount.py written ADDONS NAME.. -> number of test methods written in those addons
testcount.py excerpt LOG           -> print the log records a reader needs
"""

import ast
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

RESULT_RE = re.compile(r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests")
RECORD_RE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \d+ (\w+) \S+ (\S+): ")


def junit(path):
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    tests = sum(int(s.get("tests", 0)) for s in suites)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    return tests, bad


def odoo(path):
    tests = bad = 0
    for line in open(path, encoding="utf-8", errors="replace"):
        match = RESULT_RE.search(line)
        if match:
            failed, errors, run = map(int, match.groups())
            tests, bad = run, failed + errors
    return tests, bad


def written(addons_dir, names):
    """Count test_* methods of classes in the addons' tests packages."""
    count = 0
    for name in names:
        for path in sorted(pathlib.Path(addons_dir, name, "tests").rglob("test_*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    count += sum(
                        1 for item in node.body if isinstance(item, ast.FunctionDef) and item.name.startswith("test")
                    )
    return count


def excerpt(path):
    keep = False
    for line in open(path, encoding="utf-8", errors="replace"):
        match = RECORD_RE.match(line)
        if match:
            level, logger = match.groups()
            keep = level not in ("INFO", "DEBUG") or logger in ("odoo.tests.result", "odoo.tests.stats")
            keep = keep or ("Starting " in line and logger.startswith("odoo.addons."))
        if keep:
            sys.stdout.write(line)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "junit":
        print(*junit(args[0]))
    elif command == "odoo":
        print(*odoo(args[0]))
    elif command == "written":
        print(written(args[0], args[1:]))
    elif command == "excerpt":
        excerpt(args[0])
    else:
        sys.exit(__doc__)
