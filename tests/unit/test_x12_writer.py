"""The core's X12 writer: what it writes, the reader reads back exactly."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from x12 import DEFAULT_DELIMITERS, Delimiters, X12EnvelopeError, X12Reader, X12SegmentError, X12Writer, validate

WHEN = datetime.datetime(2024, 12, 31, 12, 0)


def _write(delimiters=DEFAULT_DELIMITERS, line_break=False, transactions=(("0001", [("BPR", "I", Decimal("10.50"))]),)):
    writer = X12Writer(delimiters=delimiters, line_break=line_break)
    writer.start_interchange("PAYER", "CLINIC", 42, when=WHEN)
    writer.start_group("HP", "PAYER", "CLINIC", 9, "005010X221A1", when=WHEN)
    for control, segments in transactions:
        writer.transaction("835", control, segments)
    writer.end_group()
    writer.end_interchange()
    return writer.getvalue()


def test_isa_is_fixed_width():
    text = _write()
    isa = text.split("~")[0] + "~"
    assert len(isa) == 106
    assert isa[3] == "*" and isa[82] == "^" and isa[104] == ":" and isa[105] == "~"
    assert "*000000042*" in isa


def test_counts_and_control_numbers_are_written():
    text = _write(transactions=(("0001", [("BPR", "I", 1), ("TRN", "1", "X", "1")]), ("0002", [("BPR", "I", 2)])))
    segments = text.split("~")
    assert "SE*4*0001" in segments and "SE*3*0002" in segments
    assert "GE*2*9" in segments and "IEA*1*000000042" in segments
    summary = validate(text, strict=True)
    assert (summary.interchanges, summary.groups, summary.transactions) == (1, 1, 2)


@pytest.mark.parametrize(
    "delimiters",
    [Delimiters(), Delimiters("*", ">", "^", "~"), Delimiters("|", "^", None, "\n"), Delimiters("*", "|", "^", "~")],
)
@pytest.mark.parametrize("line_break", [False, True])
def test_other_delimiters_round_trip(delimiters, line_break):
    segments = [("SVC", ("HC", "99213", "25"), Decimal("100"), Decimal("80.25")), ("NM1", "QC", "1", "DOE", None, "")]
    text = _write(delimiters, line_break, (("0001", segments),))
    reader = X12Reader(text, strict=True)
    transaction = next(reader.transactions())
    assert reader.delimiters.component == delimiters.component
    svc, nm1 = transaction.body
    assert svc.components(1) == ("HC", "99213", "25")
    assert svc[3] == "80.25"
    assert nm1.elements == ("NM1", "QC", "1", "DOE")  # trailing empty elements are not written


def test_a_value_containing_a_delimiter_is_refused():
    with pytest.raises(X12SegmentError, match="contains the delimiter"):
        _write(transactions=(("0001", [("NM1", "QC", "DOE*JOHN")]),))


def test_envelopes_must_nest():
    writer = X12Writer()
    with pytest.raises(X12EnvelopeError):
        writer.start_group("HP", "S", "R", 1, "005010X221A1")
    writer.start_interchange("S", "R", 1, when=WHEN)
    with pytest.raises(X12EnvelopeError):
        writer.end_group()


element = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Nd"), max_codepoint=127), max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["REF", "NM1", "DTM", "AMT"]), st.lists(element, max_size=6)), max_size=20))
def test_anything_written_reads_back(segments):
    text = _write(transactions=(("0001", [(sid, *values) for sid, values in segments]),))
    transaction = next(X12Reader(text, strict=True).transactions())
    for (sid, values), read in zip(segments, transaction.body, strict=True):
        while values and values[-1] == "":
            values = values[:-1]
        assert read.elements == (sid, *values)
