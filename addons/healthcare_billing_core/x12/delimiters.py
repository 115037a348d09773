"""Delimiters of an X12 interchange, read from its fixed-width ISA header."""

from dataclasses import dataclass

from .errors import X12DelimiterError

ISA_LENGTH = 106


@dataclass(frozen=True)
class Delimiters:
    element: str = "*"
    component: str = ":"
    repetition: str | None = "^"
    segment: str = "~"

    def __post_init__(self):
        used = [self.element, self.component, self.segment]
        if self.repetition:
            used.append(self.repetition)
        if len(set(used)) != len(used) or any(len(d) != 1 for d in used):
            raise X12DelimiterError(
                "The delimiters of the file are not four distinct single characters "
                f"(element {self.element!r}, component {self.component!r}, "
                f"repetition {self.repetition!r}, segment {self.segment!r}).",
                segment_id="ISA",
                code="delimiters",
            )
        if any(d.isalnum() or d == " " for d in used):
            raise X12DelimiterError(
                "A delimiter of the file is a letter, a digit or a space, so the ISA header is damaged.",
                segment_id="ISA",
                code="delimiters",
            )


DEFAULT_DELIMITERS = Delimiters()


def strip_preamble(text):
    """Drop a UTF-8 byte order mark and leading whitespace."""
    return text.lstrip("\ufeff").lstrip()


def detect(head):
    """Read the delimiters from the start of a file (at least the ISA segment).

    Returns ``(delimiters, isa_end)`` where ``isa_end`` is the index just after the
    ISA segment terminator in ``head`` (after an optional CR/LF pair when the
    terminator is a line break).  The ISA is read by position: the element
    separator is the 4th character and, the 16 elements being fixed width,
    ISA16 (component separator) and the segment terminator follow the 16th
    element separator.  Counting separators instead of taking offset 104/105
    keeps working on the (invalid but seen) ISAs whose ids are not padded.
    """
    if not head.startswith("ISA"):
        raise X12DelimiterError(
            "The file does not start with an ISA interchange header, so its delimiters cannot be read.",
            position=1,
            code="no_isa",
        )
    if len(head) < 4:
        raise X12DelimiterError("The file ends inside its ISA header.", position=1, segment_id="ISA", code="truncated")
    element = head[3]
    positions = []
    index = 3
    while len(positions) < 16:
        index = head.find(element, index)
        if index < 0 or index > ISA_LENGTH + 40:
            raise X12DelimiterError(
                "The ISA header does not have its 16 elements, so the delimiters cannot be read.",
                position=1,
                segment_id="ISA",
                code="truncated" if index < 0 else "bad_isa",
            )
        positions.append(index)
        index += 1
    last = positions[15]
    if len(head) < last + 3:
        raise X12DelimiterError("The file ends inside its ISA header.", position=1, segment_id="ISA", code="truncated")
    component = head[last + 1]
    segment = head[last + 2]
    end = last + 3
    if segment == "\r" and head[end : end + 1] == "\n":
        segment = "\n"
        end += 1
    isa11 = head[positions[10] + 1 : positions[11]]
    version = head[positions[11] + 1 : positions[12]]
    repetition = None
    # ISA11 is the repetition separator from version 00402 on; in 4010 it is "U".
    if len(isa11) == 1 and not isa11.isalnum() and isa11 not in (element, component, segment) and version >= "00402":
        repetition = isa11
    delimiters = Delimiters(element=element, component=component, repetition=repetition, segment=segment)
    return delimiters, end
