"""X12 835 remittance advice: interpretation, balancing, posting plan (no Odoo).

Builds on the core's ``x12`` package for delimiters, envelopes and segments.
"""

from . import balancing, generator, plan, serialize
from .model import (
    Adjustment,
    Claim,
    Problem,
    ProviderAdjustment,
    Remittance,
    ServiceLine,
)
from .parser import parse, parse_transaction
from .reading import read_file
