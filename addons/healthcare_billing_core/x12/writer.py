"""Write X12 interchanges: envelopes with matching control numbers and counts.

Used by the 835 test-file generator and, later, by the 837 and 270 builders::

    writer = X12Writer(stream, Delimiters(), line_break=True)
    writer.start_interchange(sender_id="PAYER", receiver_id="CLINIC", control_number=1)
    writer.start_group("HP", "PAYER", "CLINIC", control_number=1, version="005010X221A1")
    writer.transaction("835", "0001", [("BPR", "I", Decimal("10"), ...), ...])
    writer.end_group()
    writer.end_interchange()
"""

import datetime
import io

from .delimiters import DEFAULT_DELIMITERS
from .errors import X12EnvelopeError
from .segments import Segment, format_element


class X12Writer:
    def __init__(self, stream=None, delimiters=DEFAULT_DELIMITERS, line_break=False):
        self.stream = stream if stream is not None else io.StringIO()
        self.delimiters = delimiters
        self.line_break = line_break
        self._isa = None
        self._gs = None
        self._groups = 0
        self._sets = 0

    # -- low level -------------------------------------------------------------------
    def _emit(self, elements):
        self.stream.write(self.delimiters.element.join(elements))
        self.stream.write(self.delimiters.segment)
        if self.line_break and self.delimiters.segment != "\n":
            self.stream.write("\n")

    def format_segment(self, segment):
        """A segment given as ``Segment`` or ``(id, value, ...)`` as a list of element strings."""
        if isinstance(segment, Segment):
            elements = list(segment.elements)
        else:
            segment_id, *values = segment
            elements = [segment_id, *(format_element(v, self.delimiters) for v in values)]
        while len(elements) > 1 and elements[-1] == "":
            elements.pop()
        return elements

    def write_segment(self, segment):
        self._emit(self.format_segment(segment))

    # -- envelopes ---------------------------------------------------------------------
    def start_interchange(
        self,
        sender_id,
        receiver_id,
        control_number,
        sender_qualifier="ZZ",
        receiver_qualifier="ZZ",
        when=None,
        usage="P",
        version="00501",
        acknowledgment="0",
    ):
        if self._isa is not None:
            raise X12EnvelopeError("An interchange is already open.", code="writer")
        when = when or datetime.datetime.now(datetime.UTC)
        control = f"{int(control_number):09d}"
        repetition = self.delimiters.repetition or "U"
        isa = [
            "ISA", "00", " " * 10, "00", " " * 10,
            sender_qualifier.ljust(2), str(sender_id).ljust(15)[:15],
            receiver_qualifier.ljust(2), str(receiver_id).ljust(15)[:15],
            when.strftime("%y%m%d"), when.strftime("%H%M"), repetition, version, control,
            acknowledgment, usage, self.delimiters.component,
        ]  # fmt: skip
        self._emit(isa)
        self._isa = control
        self._groups = 0

    def start_group(self, functional_id, sender, receiver, control_number, version, when=None):
        if self._isa is None or self._gs is not None:
            raise X12EnvelopeError("A group must start inside an interchange and after the previous GE.", code="writer")
        when = when or datetime.datetime.now(datetime.UTC)
        control = str(int(control_number))
        self.write_segment(
            (
                "GS",
                functional_id,
                sender,
                receiver,
                when.strftime("%Y%m%d"),
                when.strftime("%H%M"),
                control,
                "X",
                version,
            )
        )
        self._gs = control
        self._sets = 0
        self._groups += 1

    def transaction(self, set_id, control_number, segments, version=None):
        """Write ST, the segments, and SE with the segment count; return the count."""
        control = str(control_number)
        count = 1
        self.write_segment(("ST", set_id, control, version) if version else ("ST", set_id, control))
        for segment in segments:
            self.write_segment(segment)
            count += 1
        count += 1
        self.write_segment(("SE", count, control))
        self._sets += 1
        return count

    def end_group(self):
        if self._gs is None:
            raise X12EnvelopeError("No group is open.", code="writer")
        self.write_segment(("GE", self._sets, self._gs))
        self._gs = None

    def end_interchange(self):
        if self._isa is None or self._gs is not None:
            raise X12EnvelopeError("Close the group before the interchange.", code="writer")
        self.write_segment(("IEA", self._groups, self._isa))
        self._isa = None

    def getvalue(self):
        return self.stream.getvalue()


def build_interchange(groups, sender_id, receiver_id, control_number=1, delimiters=DEFAULT_DELIMITERS, **options):
    """Return the text of one interchange.

    ``groups`` is a list of ``(functional_id, version, transactions)`` where each
    transaction is ``(set_id, control_number, segments)``.
    """
    line_break = options.pop("line_break", False)
    writer = X12Writer(delimiters=delimiters, line_break=line_break)
    when = options.get("when")
    writer.start_interchange(sender_id, receiver_id, control_number, **options)
    for number, (functional_id, version, transactions) in enumerate(groups, start=1):
        writer.start_group(functional_id, sender_id, receiver_id, number, version, when=when)
        for set_id, st_control, segments in transactions:
            writer.transaction(set_id, st_control, segments)
        writer.end_group()
    writer.end_interchange()
    return writer.getvalue()
