"""The core's X12 package: delimiters, envelopes, streaming, errors."""

import io
import pathlib

import pytest
from x12 import (
    DEFAULT_DELIMITERS,
    Delimiters,
    X12DelimiterError,
    X12EnvelopeError,
    X12Error,
    X12Reader,
    X12SegmentError,
    build_interchange,
    detect,
    validate,
)

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLES_835 = ROOT / "addons" / "remittance_import" / "tests" / "samples"
SAMPLES_OTHER = ROOT / "tests" / "unit" / "samples" / "x12"


class _Samples:
    def __truediv__(self, name):
        return (SAMPLES_835 if name.endswith(".835") else SAMPLES_OTHER) / name


SAMPLES = _Samples()

ISA = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *241231*1200*^*00501*000000101*0*T*:~"


def _file(body_sets=(("0001", ["BPR*I*10*C*ACH", "TRN*1*T1*1999"]),), terminator="~", isa=ISA, gs_count=None):
    lines = [isa.replace("~", terminator), "GS*HP*S*R*20241231*1200*101*X*005010X221A1" + terminator]
    for control, body in body_sets:
        lines.append(f"ST*835*{control}" + terminator)
        lines.extend(segment + terminator for segment in body)
        lines.append(f"SE*{len(body) + 2}*{control}" + terminator)
    lines.append(f"GE*{gs_count if gs_count is not None else len(body_sets)}*101" + terminator)
    lines.append("IEA*1*000000101" + terminator)
    return "".join(lines)


@pytest.mark.parametrize(
    ("name", "component", "repetition"),
    [
        ("synthetic_5010_835_reversal_plb_multi_st.835", ":", "^"),
        ("e835_uhc_gt_component_sep.835", ">", "^"),
        ("tigershark_835_pipe_component_sep.835", "|", "^"),
        ("badx12_835_dollars_data_separate.835", ":", ">"),
        ("pyx12_4010_835_reversal_correction_plb.835", ":", None),  # 4010: ISA11 is "U"
    ],
)
def test_delimiters_come_from_the_isa_header(name, component, repetition):
    reader = X12Reader((SAMPLES / name).read_bytes())
    list(reader.transactions())
    assert reader.delimiters == Delimiters("*", component, repetition, "~")


def test_every_sample_is_read_with_its_transactions():
    expected = {
        "synthetic_5010_835_reversal_plb_multi_st.835": ["0001", "0002"],
        "editools_4010_835_multi_st_reversals.835": ["07504123", "99999"],
        "badx12_835_multiple_claims_single_check.835": ["35681"],
        "lfh_270_subscriber.270": ["1234"],
        "lfh_837p_example1.837": ["0021"],
    }
    for name, controls in expected.items():
        transactions = list(X12Reader((SAMPLES / name).read_bytes()).transactions())
        assert [t.control_number for t in transactions] == controls, name


def test_newline_as_terminator_and_crlf_after_terminator():
    text = _file()
    for variant in (text.replace("~", "\n"), text.replace("~", "~\r\n"), text.replace("~", "\r\n"), text):
        transactions = list(X12Reader(variant).transactions())
        assert len(transactions) == 1
        assert transactions[0].body[0][2] == "10"


def test_bom_and_leading_whitespace_are_ignored():
    transactions = list(X12Reader(b"\xef\xbb\xbf \r\n" + _file().encode()).transactions())
    assert transactions[0].control_number == "0001"


def test_several_interchanges_groups_and_transactions():
    one = _file((("0001", ["BPR*I*1*C*ACH"]), ("0002", ["BPR*I*2*C*ACH"])))
    two = one.replace("000000101", "000000102")
    reader = X12Reader(one + "\n" + two)
    assert [t.body[0][2] for t in reader.transactions()] == ["1", "2", "1", "2"]
    assert (reader.summary.interchanges, reader.summary.groups, reader.summary.transactions) == (2, 2, 4)


def test_st03_is_the_version_else_gs08():
    text = _file().replace("ST*835*0001", "ST*835*0001*005010X221A1")
    assert next(X12Reader(text).transactions()).version == "005010X221A1"
    assert next(X12Reader(_file()).transactions()).version == "005010X221A1"


def test_no_isa_is_refused_unless_default_delimiters_are_allowed():
    text = (SAMPLES / "e835_bcbsnc_no_isa_envelope.835").read_text()
    with pytest.raises(X12DelimiterError) as info:
        list(X12Reader(text).transactions())
    assert info.value.code == "no_isa"
    assert "does not start with an ISA" in str(info.value)
    transactions = list(X12Reader(text, default_delimiters=True).transactions())
    assert [t.control_number for t in transactions] == ["1234"]


def test_count_and_control_mismatches_are_warnings_or_errors_when_strict():
    text = _file(gs_count=3)
    reader = X12Reader(text)
    assert len(list(reader.transactions())) == 1
    assert [w.element for w in reader.warnings] == ["GE01"]
    with pytest.raises(X12EnvelopeError) as info:
        validate(text, strict=True)
    assert info.value.element == "GE01"
    assert "3" in info.value.message and "1 were read" in info.value.message


def test_se_count_mismatch_names_the_transaction_and_position():
    text = _file().replace("SE*4*0001", "SE*5*0001")
    with pytest.raises(X12EnvelopeError) as info:
        validate(text)
    error = info.value
    assert (error.transaction, error.position, error.segment_id, error.element) == ("0001", 6, "SE", "SE01")
    assert str(error).startswith("transaction 0001, segment 6, SE01: The SE says the transaction has '5' segments")
    transaction = next(X12Reader(text).transactions())
    assert [w.element for w in transaction.warnings] == ["SE01"]


def test_iea_control_number_mismatch():
    with pytest.raises(X12EnvelopeError, match="IEA control number '000000999'"):
        validate(_file().replace("IEA*1*000000101", "IEA*1*000000999"))


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9, 0.99])
def test_truncated_files_are_refused(cut):
    text = _file((("0001", ["BPR*I*1*C*ACH", "TRN*1*A*1"]), ("0002", ["BPR*I*2*C*ACH"])))
    with pytest.raises(X12Error) as info:
        validate(text[: int(len(text) * cut)])
    assert info.value.message  # a cut file never reads as complete


def test_truncated_inside_a_transaction_says_so():
    text = _file()
    text = text[: text.index("SE*")]
    with pytest.raises(X12EnvelopeError) as info:
        validate(text)
    assert info.value.code == "truncated"
    assert "ends inside transaction 0001" in info.value.message


def test_missing_se_before_the_next_st():
    text = _file((("0001", ["BPR*I*1*C*ACH"]), ("0002", ["BPR*I*2*C*ACH"]))).replace("SE*3*0001~", "")
    with pytest.raises(X12EnvelopeError, match="Transaction 0001 has no SE trailer: ST found"):
        validate(text)


def test_malformed_segment_identifier():
    text = _file().replace("TRN*1*T1*1999", "TR N*1*T1")
    with pytest.raises(X12SegmentError) as info:
        validate(text)
    assert info.value.position == 5
    assert "not a segment identifier" in info.value.message


def test_wrong_delimiters_in_the_body_are_malformed():
    text = _file().replace("BPR*I*10*C*ACH", "BPR|I|10|C|ACH~GS|X")
    with pytest.raises(X12Error):
        validate(text)


def test_segment_outside_a_transaction():
    text = _file().replace("GE*1*101~", "BPR*I*1~GE*1*101~")
    with pytest.raises(X12EnvelopeError, match="outside any transaction"):
        validate(text)


def test_damaged_isa_is_refused():
    with pytest.raises(X12DelimiterError):
        detect("ISA*00*short~")
    with pytest.raises(X12DelimiterError):
        validate("ISA*00")


def test_empty_file():
    with pytest.raises(X12DelimiterError, match="empty"):
        validate("   \n")


def test_elements_components_and_repeats():
    text = _file((("0001", ["SVC*HC:99213:25*100*80**1", "REF*6R*A^B"]),))
    transaction = next(X12Reader(text).transactions())
    svc, ref = transaction.body
    assert svc.components(1) == ("HC", "99213", "25")
    assert svc[3] == "80" and svc[4] == "" and svc[40] == ""
    assert svc.decimal(2) == svc.decimal(2, required=True)
    assert str(svc.decimal(2)) == "100"
    assert ref.repeats(2) == ("A", "B")
    assert svc.transaction == "0001" and svc.position == 4


def test_bad_amount_names_the_element():
    transaction = next(X12Reader(_file((("0001", ["CLP*A*1*12,5*0"]),))).transactions())
    with pytest.raises(X12SegmentError) as info:
        transaction.body[0].decimal(3, "claim charge")
    assert info.value.element == "CLP03"
    assert "claim charge" in info.value.message and "'12,5'" in info.value.message


class CountingStream(io.StringIO):
    def __init__(self, text):
        super().__init__(text)
        self.reads = 0

    def read(self, size=-1):
        self.reads += 1
        return super().read(size)


def test_transactions_are_streamed_one_at_a_time():
    sets = [(f"{n:04d}", ["BPR*I*1*C*ACH"] * 50) for n in range(1, 201)]
    text = _file(sets)
    stream = CountingStream(text)
    reader = X12Reader(stream, chunk_size=512)
    iterator = reader.transactions()
    first = next(iterator)
    assert first.control_number == "0001"
    assert stream.tell() < len(text) / 10  # the file has not been read whole
    assert sum(1 for _ in iterator) == 199


def test_default_delimiters_are_the_common_ones():
    assert DEFAULT_DELIMITERS == Delimiters("*", ":", "^", "~")
    with pytest.raises(X12DelimiterError):
        Delimiters("*", "*", "^", "~")


def test_transaction_hash_ignores_line_breaks():
    a = next(X12Reader(_file()).transactions())
    b = next(X12Reader(_file().replace("~", "~\r\n")).transactions())
    assert a.sha256 == b.sha256


def test_build_interchange_reads_back():
    text = build_interchange([("HP", "005010X221A1", [("835", "0001", [("BPR", "I", 1)])])], "S", "R", 7)
    assert next(X12Reader(text).transactions()).interchange.control_number == "000000007"
