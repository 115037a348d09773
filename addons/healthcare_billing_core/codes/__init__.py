"""Pure-Python checks of healthcare identifiers and codes (no Odoo import)."""

from .icd10 import normalize_icd10, parse_diagnosis_codes
from .modifiers import parse_modifiers
from .npi import is_valid_npi

__all__ = ["is_valid_npi", "normalize_icd10", "parse_diagnosis_codes", "parse_modifiers"]
