"""Errors raised while reading or writing X12 (no Odoo import)."""


class X12Error(Exception):
    """A problem in an X12 interchange, located for a clerk.

    ``transaction`` is the ST02 control number (or None outside a transaction),
    ``position`` the 1-based segment number in the file, ``segment_id`` the
    segment identifier, ``element`` the element reference (``"CLP03"``) and
    ``message`` a sentence in plain words.
    """

    def __init__(self, message, transaction=None, position=None, segment_id=None, element=None, code=None):
        self.message = message
        self.transaction = transaction
        self.position = position
        self.segment_id = segment_id
        self.element = element
        self.code = code or "x12"
        super().__init__(self.describe())

    def location(self):
        parts = []
        if self.transaction:
            parts.append(f"transaction {self.transaction}")
        if self.position:
            parts.append(f"segment {self.position}")
        if self.segment_id:
            parts.append(self.element or self.segment_id)
        elif self.element:
            parts.append(self.element)
        return ", ".join(parts)

    def describe(self):
        location = self.location()
        return f"{location}: {self.message}" if location else self.message

    def as_dict(self):
        return {
            "code": self.code,
            "message": self.message,
            "transaction": self.transaction,
            "position": self.position,
            "segment_id": self.segment_id,
            "element": self.element,
        }


class X12DelimiterError(X12Error):
    """The delimiters cannot be read (no ISA header, or a damaged one)."""


class X12EnvelopeError(X12Error):
    """ISA/IEA, GS/GE or ST/SE do not match (control numbers, counts, nesting, truncation)."""


class X12SegmentError(X12Error):
    """A segment is malformed (bad identifier, missing or invalid element)."""
