"""Reading and writing X12 interchanges, without Odoo.

Delimiters come from the ISA header; envelopes (ISA/IEA, GS/GE, ST/SE) are checked
for nesting, control numbers and counts; transactions are read one at a time.
Eligibility (270/271), claims (837) and remittance (835) build on this package.
"""

from .delimiters import DEFAULT_DELIMITERS, Delimiters, detect
from .errors import X12DelimiterError, X12EnvelopeError, X12Error, X12SegmentError
from .reader import Group, Interchange, ReadSummary, Transaction, X12Reader, read_transactions, validate
from .segments import Segment, make_segment
from .writer import X12Writer, build_interchange
