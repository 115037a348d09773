"""Streaming X12 reader: segments, then envelopes and one transaction at a time.

Memory holds one read chunk plus the segments of the transaction being read:
``X12Reader(...).transactions()`` yields each ST…SE as soon as its SE is read and
validated, so a file of 10,000 claims in 50 transactions never sits in memory
whole.  Envelope checks that can only be made at the end (IEA01, GE01…) raise
when their trailer is read: a caller that must treat a file as one unit reads
it to the end before posting anything (see ``validate``).
"""

import hashlib
import io
import os
import re
from dataclasses import dataclass, field

from .delimiters import DEFAULT_DELIMITERS, detect, strip_preamble
from .errors import X12DelimiterError, X12EnvelopeError, X12SegmentError
from .segments import Segment

CHUNK_SIZE = 1 << 16
SEGMENT_ID = re.compile(r"^[A-Z][A-Z0-9]{1,2}$")


@dataclass(frozen=True)
class Interchange:
    """The ISA header of an interchange."""

    sender_qualifier: str
    sender_id: str
    receiver_qualifier: str
    receiver_id: str
    date: str
    time: str
    version: str
    control_number: str
    usage: str
    position: int


@dataclass(frozen=True)
class Group:
    """The GS header of a functional group."""

    functional_id: str
    sender: str
    receiver: str
    date: str
    time: str
    control_number: str
    version: str
    position: int


@dataclass
class Transaction:
    """One ST…SE transaction set, with the envelopes around it."""

    set_id: str
    control_number: str
    segments: list
    interchange: Interchange | None = None
    group: Group | None = None
    index: int = 0
    reference: str = ""
    sha256: str = ""
    delimiters: object = field(default=DEFAULT_DELIMITERS, repr=False)
    warnings: list = field(default_factory=list)

    @property
    def version(self):
        """The implementation guide: ST03 when given, else GS08."""
        st03 = self.segments[0][3] if self.segments else ""
        return st03 or (self.group.version if self.group else "")

    @property
    def body(self):
        """The segments between ST and SE."""
        return self.segments[1:-1]


@dataclass
class ReadSummary:
    interchanges: int = 0
    groups: int = 0
    transactions: int = 0
    segments: int = 0


def _open_text(source):
    """Accept text (``str``), bytes, a ``pathlib.Path`` or a file object (text or binary)."""
    if isinstance(source, str):
        return io.StringIO(source)
    if isinstance(source, (bytes, bytearray)):
        return io.StringIO(bytes(source).decode("utf-8-sig", errors="replace"))
    if isinstance(source, os.PathLike):
        return open(source, encoding="utf-8-sig", errors="replace", newline="")
    if isinstance(source, io.TextIOBase):
        return source
    return io.TextIOWrapper(source, encoding="utf-8-sig", errors="replace", newline="")


class X12Reader:
    """Read an X12 file.

    ``default_delimiters``: a file without an ISA header is refused unless this is
    set, in which case ``*``, ``:``, ``^`` and ``~`` are assumed (off by default:
    guessing delimiters can post garbage).

    ``strict``: a control number or a count that disagrees (IEA01/02, GE01/02,
    SE01/02) raises.  Otherwise it is recorded in ``warnings`` (and in the
    transaction's ``warnings`` for SE) and reading goes on: clearinghouses
    regenerate control numbers, two of the public sample files carry wrong
    counts, and the money is protected by the 835 balancing rules, which a
    missing or extra claim or adjustment segment breaks.  Nesting errors,
    truncation and malformed segments always raise.
    """

    def __init__(self, source, default_delimiters=False, strict=False, chunk_size=CHUNK_SIZE):
        self._stream = _open_text(source)
        self.default_delimiters = default_delimiters
        self.strict = strict
        self.warnings = []
        self.chunk_size = chunk_size
        self.delimiters = None
        self.summary = ReadSummary()
        self.enveloped = True

    # -- segments -----------------------------------------------------------------
    def _start(self):
        head = ""
        while True:
            chunk = self._stream.read(self.chunk_size)
            head += chunk
            stripped = strip_preamble(head)
            if len(stripped) >= 200 or not chunk:
                break
        if not stripped:
            raise X12DelimiterError("The file is empty.", code="empty")
        if stripped.startswith("ISA"):
            self.delimiters, _end = detect(stripped)
            return stripped
        if not self.default_delimiters:
            first = stripped[:3]
            raise X12DelimiterError(
                f"The file does not start with an ISA interchange header (it starts with {first!r}), "
                "so its delimiters cannot be read. Ask the sender for the complete file, or allow "
                "default delimiters in the settings if this payer never sends an envelope.",
                position=1,
                code="no_isa",
            )
        self.delimiters = DEFAULT_DELIMITERS
        self.enveloped = False
        return stripped

    def segments(self):
        """Yield every segment of the file as a ``Segment`` with its 1-based position."""
        buffer = self._start()
        delimiters = self.delimiters
        terminator = delimiters.segment
        element = delimiters.element
        position = 0
        strip_chars = "\r\n"
        eof = False
        while True:
            parts = buffer.split(terminator)
            if not eof:
                buffer = parts.pop()
            else:
                buffer = ""
            for raw in parts:
                raw = raw.strip(strip_chars)
                if not raw.strip():
                    continue
                position += 1
                if position == 1 and raw.startswith("ISA"):
                    elements = raw.split(element)
                    elements = (elements[0], *elements[1:])
                else:
                    elements = tuple(e.strip() for e in raw.split(element))
                    elements = (elements[0].lstrip("\ufeff").strip(), *elements[1:])
                segment_id = elements[0]
                if not SEGMENT_ID.match(segment_id):
                    raise X12SegmentError(
                        f"{segment_id[:20]!r} is not a segment identifier: the segment is malformed "
                        "or the file uses other delimiters than its ISA header declares.",
                        position=position,
                        code="malformed",
                    )
                yield Segment(elements, position=position, delimiters=delimiters)
            if eof:
                break
            chunk = self._stream.read(self.chunk_size)
            if chunk:
                buffer += chunk
            else:
                eof = True
        self.summary.segments = position

    # -- envelopes ----------------------------------------------------------------
    def transactions(self):
        """Yield each transaction set, once its SE is read and its counts are checked."""
        isa = gs = None
        interchange = group = None
        groups_in_isa = 0
        sets_in_group = 0
        current = None
        index = 0
        last = None
        for segment in self.segments():
            last = segment
            sid = segment.id
            if current is not None:
                segment = Segment(
                    segment.elements, position=segment.position, delimiters=segment.delimiters,
                    transaction=current[0][2],
                )  # fmt: skip
                if sid == "SE":
                    current.append(segment)
                    index += 1
                    sets_in_group += 1
                    yield self._close_transaction(current, interchange, group, index)
                    current = None
                    continue
                if sid in ("ST", "GS", "GE", "ISA", "IEA"):
                    raise X12EnvelopeError(
                        f"Transaction {current[0][2]} has no SE trailer: {sid} found before its end.",
                        transaction=current[0][2],
                        position=segment.position,
                        segment_id=sid,
                        code="missing_se",
                    )
                current.append(segment)
                continue
            if sid == "ISA":
                if isa is not None:
                    raise self._envelope(segment, "A new ISA starts before the IEA of the previous interchange.")
                if len(segment) != 16:
                    raise segment.error(f"The ISA header has {len(segment)} elements instead of 16.", code="bad_isa")
                isa = segment
                interchange = Interchange(
                    segment[5].strip(), segment[6].strip(), segment[7].strip(), segment[8].strip(),
                    segment[9], segment[10], segment[12], segment[13], segment[15], segment.position,
                )  # fmt: skip
                groups_in_isa = 0
                self.summary.interchanges += 1
            elif sid == "IEA":
                if isa is None:
                    raise self._envelope(segment, "IEA found without a matching ISA.")
                if gs is not None:
                    raise self._envelope(segment, f"Group {gs[6]} has no GE trailer before the IEA.")
                if segment[2] != isa[13]:
                    self._soft(
                        self._envelope(
                            segment,
                            f"The IEA control number {segment[2]!r} differs from the ISA control number {isa[13]!r}.",
                            element="IEA02",
                        )
                    )
                if segment[1] != str(groups_in_isa):
                    self._soft(
                        self._envelope(
                            segment,
                            f"The IEA says the interchange has {segment[1]!r} groups, but {groups_in_isa} were read.",
                            element="IEA01",
                        )
                    )
                isa = interchange = None
            elif sid == "GS":
                if self.enveloped and isa is None:
                    raise self._envelope(segment, "GS found outside an interchange (no ISA before it).")
                if gs is not None:
                    raise self._envelope(segment, "A new GS starts before the GE of the previous group.")
                gs = segment
                group = Group(*(segment[i] for i in (1, 2, 3, 4, 5, 6, 8)), segment.position)
                sets_in_group = 0
                groups_in_isa += 1
                self.summary.groups += 1
            elif sid == "GE":
                if gs is None:
                    raise self._envelope(segment, "GE found without a matching GS.")
                if segment[2] != gs[6]:
                    self._soft(
                        self._envelope(
                            segment,
                            f"The GE control number {segment[2]!r} differs from the GS control number {gs[6]!r}.",
                            element="GE02",
                        )
                    )
                if segment[1] != str(sets_in_group):
                    self._soft(
                        self._envelope(
                            segment,
                            f"The GE says the group has {segment[1]!r} transactions, but {sets_in_group} were read.",
                            element="GE01",
                        )
                    )
                gs = group = None
            elif sid == "ST":
                if self.enveloped and gs is None:
                    raise self._envelope(segment, "ST found outside a functional group (no GS before it).")
                if not segment[2]:
                    raise segment.error("ST02 (the transaction control number) is empty.", 2, code="required_element")
                segment = Segment(
                    segment.elements, position=segment.position, delimiters=segment.delimiters,
                    transaction=segment[2],
                )  # fmt: skip
                current = [segment]
            else:
                raise self._envelope(segment, f"Segment {sid} is outside any transaction (between envelopes).")
        if last is None:
            raise X12EnvelopeError("The file has no segments.", code="empty")
        if current is not None:
            raise X12EnvelopeError(
                f"The file ends inside transaction {current[0][2]}: it has no SE trailer (truncated file?).",
                transaction=current[0][2],
                position=last.position,
                segment_id=last.id,
                code="truncated",
            )
        if gs is not None:
            raise X12EnvelopeError(
                f"The file ends inside group {gs[6]}: it has no GE trailer (truncated file?).",
                position=last.position,
                segment_id=last.id,
                code="truncated",
            )
        if isa is not None:
            raise X12EnvelopeError(
                f"The file ends inside interchange {isa[13]}: it has no IEA trailer (truncated file?).",
                position=last.position,
                segment_id=last.id,
                code="truncated",
            )

    def _soft(self, error, transaction=None):
        if self.strict:
            raise error
        self.warnings.append(error)
        if transaction is not None:
            transaction.append(error)

    def _envelope(self, segment, message, element=None):
        return X12EnvelopeError(
            message,
            transaction=segment.transaction,
            position=segment.position,
            segment_id=segment.id,
            element=element,
            code="envelope",
        )

    def _close_transaction(self, segments, interchange, group, index):
        st, se = segments[0], segments[-1]
        control = st[2]
        warnings = []
        if se[2] != control:
            self._soft(
                X12EnvelopeError(
                    f"The SE control number {se[2]!r} differs from the ST control number {control!r}.",
                    transaction=control,
                    position=se.position,
                    segment_id="SE",
                    element="SE02",
                    code="envelope",
                ),
                warnings,
            )
        if se[1] != str(len(segments)):
            self._soft(
                X12EnvelopeError(
                    f"The SE says the transaction has {se[1]!r} segments, but {len(segments)} were read "
                    "(segments missing or added?).",
                    transaction=control,
                    position=se.position,
                    segment_id="SE",
                    element="SE01",
                    code="envelope",
                ),
                warnings,
            )
        digest = hashlib.sha256()
        for segment in segments:
            digest.update(segment.to_text().encode())
            digest.update(b"\n")
        self.summary.transactions += 1
        reference = control
        if group is not None:
            reference = f"{interchange.control_number if interchange else ''}/{group.control_number}/{control}"
        return Transaction(
            set_id=st[1],
            control_number=control,
            segments=segments,
            interchange=interchange,
            group=group,
            index=index,
            reference=reference,
            sha256=digest.hexdigest(),
            delimiters=self.delimiters,
            warnings=warnings,
        )


def read_transactions(source, default_delimiters=False, strict=False):
    """Shortcut: iterate the transactions of ``source``."""
    return X12Reader(source, default_delimiters=default_delimiters, strict=strict).transactions()


def validate(source, default_delimiters=False, strict=True):
    """Read the whole file, keeping nothing; return its ``ReadSummary`` or raise ``X12Error``."""
    reader = X12Reader(source, default_delimiters=default_delimiters, strict=strict)
    for _transaction in reader.transactions():
        pass
    return reader.summary
