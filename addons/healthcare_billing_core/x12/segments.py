"""Segments: an identifier and its elements, as an immutable value."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .delimiters import DEFAULT_DELIMITERS
from .errors import X12SegmentError


@dataclass(frozen=True, slots=True)
class Segment:
    """One segment.  ``elements[0]`` is the identifier, so ``seg[1]`` is the first element,
    as X12 numbers them (``CLP01`` is ``seg[1]``).  A missing trailing element is ``""``."""

    elements: tuple
    position: int = 0
    delimiters: object = field(default=DEFAULT_DELIMITERS, compare=False, repr=False)
    transaction: str | None = field(default=None, compare=False)

    @property
    def id(self):
        return self.elements[0]

    def __getitem__(self, index):
        if 0 <= index < len(self.elements):
            return self.elements[index]
        return ""

    def __len__(self):
        return len(self.elements) - 1

    def ref(self, index):
        return f"{self.id}{index:02d}"

    def components(self, index):
        value = self[index]
        if not value:
            return ()
        return tuple(value.split(self.delimiters.component))

    def repeats(self, index):
        value = self[index]
        if not value:
            return ()
        if not self.delimiters.repetition:
            return (value,)
        return tuple(value.split(self.delimiters.repetition))

    def error(self, message, index=None, code="segment"):
        return X12SegmentError(
            message,
            transaction=self.transaction,
            position=self.position,
            segment_id=self.id,
            element=self.ref(index) if index is not None else None,
            code=code,
        )

    def required(self, index, label=None):
        value = self[index]
        if value == "":
            raise self.error(
                f"{self.ref(index)} ({label or 'a required element'}) is empty.", index, code="required_element"
            )
        return value

    def decimal(self, index, label=None, required=False):
        """The element as a Decimal (None when empty and not required)."""
        value = self[index]
        if value == "":
            if required:
                raise self.error(
                    f"{self.ref(index)} ({label or 'an amount'}) is empty.", index, code="required_element"
                )
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise self.error(
                f"{self.ref(index)} ({label or 'an amount'}) is {value!r}, which is not a number.",
                index,
                code="bad_number",
            )
        return number

    def to_text(self, delimiters=None):
        delimiters = delimiters or self.delimiters
        elements = list(self.elements)
        while len(elements) > 1 and elements[-1] == "":
            elements.pop()
        return delimiters.element.join(elements)


def make_segment(segment_id, *values, delimiters=DEFAULT_DELIMITERS, position=0):
    """Build a segment from Python values: str, int, Decimal, None (empty) or a tuple/list of
    components."""
    return Segment(
        (segment_id, *(format_element(v, delimiters) for v in values)), position=position, delimiters=delimiters
    )


def format_element(value, delimiters=DEFAULT_DELIMITERS):
    if value is None:
        return ""
    if isinstance(value, (tuple, list)):
        return delimiters.component.join(format_element(v, delimiters) for v in value)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
        return text
    text = str(value)
    for delimiter in (delimiters.element, delimiters.segment, delimiters.component):
        if delimiter in text:
            raise X12SegmentError(
                f"The value {text!r} contains the delimiter {delimiter!r} and cannot be written.", code="delimiter"
            )
    return text
