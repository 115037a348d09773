"""Contract pricing, pure Python (no Odoo import): see engine.py."""

from .engine import (
    METHOD_PERCENT,
    METHOD_PER_LINE,
    METHOD_PER_UNIT,
    METHOD_UNLISTED_PERCENT,
    ContractTerms,
    FeeRule,
    PriceIndex,
    PriceResult,
    PricingLine,
)

__all__ = [
    "METHOD_PERCENT",
    "METHOD_PER_LINE",
    "METHOD_PER_UNIT",
    "METHOD_UNLISTED_PERCENT",
    "ContractTerms",
    "FeeRule",
    "PriceIndex",
    "PriceResult",
    "PricingLine",
]
