"""Read a whole 835 file: every transaction parsed, validated and balanced.

``iter_file`` streams (one transaction in memory at a time); ``read_file`` keeps the
results, for files of ordinary size and for the preview.  File-level X12 errors
(no ISA, truncation, malformed segments, nesting) are reported as one error
``Problem``; nothing of such a file may be posted.
"""

from dataclasses import dataclass, field

from . import balancing
from ._x12 import x12
from .model import Problem
from .parser import parse_transaction


@dataclass
class FileResult:
    remittances: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # file-level
    segments: int = 0

    @property
    def errors(self):
        return [p for p in self.problems if p.severity == "error"] + [p for r in self.remittances for p in r.errors]

    @property
    def ok(self):
        return not self.errors and bool(self.remittances)


def iter_file(source, default_delimiters=False, result=None):
    """Yield each validated ``Remittance``; file-level problems go to ``result.problems``."""
    result = result if result is not None else FileResult()
    reader = x12.X12Reader(source, default_delimiters=default_delimiters)
    try:
        for transaction in reader.transactions():
            remittance = parse_transaction(transaction)
            balancing.validate(remittance)
            yield remittance
    except x12.X12Error as error:
        result.problems.append(Problem.from_x12(error))
    else:
        # IEA/GE warnings are raised at the end of the file, after the transactions.
        for warning in reader.warnings:
            if warning.element and warning.element.startswith(("IEA", "GE")):
                result.problems.append(Problem.from_x12(warning, "warning"))
    finally:
        result.segments = reader.summary.segments


def read_file(source, default_delimiters=False):
    """A ``FileResult`` with every transaction of ``source``."""
    result = FileResult()
    for remittance in iter_file(source, default_delimiters, result):
        result.remittances.append(remittance)
    if not result.remittances and not result.problems:
        result.problems.append(Problem("error", "empty", "The file holds no 835 transaction."))
    return result
