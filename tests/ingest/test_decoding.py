"""Every accepted encoding reads back the same text; bad files are refused with a reason."""

import codecs

import pytest

from ingest.decoding import decode
from ingest.model import DocumentRejected
from tests.conftest import SAMPLE_REPORTS

TEXT = (SAMPLE_REPORTS / "002_9036fe76fdcdc1b3.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gbk"), "gb18030"),
        (TEXT.encode("gb18030"), "gb18030"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM
    ],
)
def test_accepted_encodings_read_the_same_text(data, encoding):
    decoded = decode(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b" \n\t\r\n", "empty_file"),
        (bytes(range(256)) * 4, "binary_file"),
        (b"%PDF-1.7\n\x00\x01\x02 stream", "binary_file"),
        (TEXT.rstrip().encode("utf-8")[:-2], "truncated_file"),  # cut inside the last character (优)
        (TEXT.rstrip().encode("gb18030")[:-1], "truncated_file"),
        (TEXT.encode("utf-16-le")[:-1], "truncated_file"),
        ("中文".encode() + b"\xff\xfe\xfa" + "中文".encode(), "unknown_encoding"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data, code):
    with pytest.raises(DocumentRejected) as refused:
        decode(data)
    assert refused.value.code == code
    assert refused.value.message
