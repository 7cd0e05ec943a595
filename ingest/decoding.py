"""Bytes to text: the encodings reports arrive in, and the files that are not text.

Reports come as UTF-8 (with or without BOM), GBK / GB18030 and sometimes
UTF-16.  Anything else, and empty, binary or cut-off files, is rejected with a
reason the operator can act on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ingest.model import DocumentRejected

DEFAULT_MAX_CONTROL_RATIO = 0.01  # share of control characters above which text is called binary
UTF16_SNIFF_BYTES = 4096
UTF16_MIN_ZERO_SHARE = 0.02  # ASCII digits, tabs and newlines: a few percent of any report
CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f]")  # control characters other than \t \n \v \f \r


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # utf-8, utf-8-sig, gb18030, utf-16-le, utf-16-be


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: the zero high bytes of ASCII characters sit on one parity only."""
    sample = data[: min(len(data), UTF16_SNIFF_BYTES) // 2 * 2]
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    enough = max(4, len(sample) // 2 * UTF16_MIN_ZERO_SHARE)
    if odd_zeros >= enough and even_zeros <= odd_zeros // 20:
        return "utf-16-le"
    if even_zeros >= enough and odd_zeros <= even_zeros // 20:
        return "utf-16-be"
    return None


TRUNCATION_REASONS = {"unexpected end of data", "incomplete multibyte sequence", "truncated data"}


def _decode_or_reason(data: bytes, encoding: str) -> tuple[str | None, bool]:
    """(text, False) on success; (None, True) if the bytes are valid but cut inside a character."""
    try:
        return data.decode(encoding), False
    except UnicodeDecodeError as err:
        return None, err.reason in TRUNCATION_REASONS and err.end >= len(data)


def decode(data: bytes) -> DecodedText:
    """Decode a report file, or raise DocumentRejected saying why it cannot be read."""
    if not data or data.isspace():  # (not data.strip(), without copying the file)
        raise DocumentRejected("empty_file", "the file is empty")

    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith(codecs.BOM_UTF16_LE):
        candidates = ["utf-16-le"]
        data = data[len(codecs.BOM_UTF16_LE) :]
    elif data.startswith(codecs.BOM_UTF16_BE):
        candidates = ["utf-16-be"]
        data = data[len(codecs.BOM_UTF16_BE) :]
    elif encoding := _utf16_without_bom(data):
        candidates = [encoding]
    elif b"\x00" in data:
        raise DocumentRejected("binary_file", "the file is binary (it contains NUL bytes), not extracted report text")
    else:
        candidates = ["utf-8", "gb18030"]

    for encoding in candidates:
        text, cut_off = _decode_or_reason(data, encoding)
        if text is not None:
            break
        if cut_off:
            raise DocumentRejected("truncated_file", f"the file ends inside a character ({encoding}): it was cut off")
    else:
        if b"\x00" in data:
            raise DocumentRejected("binary_file", "the file is binary, not extracted report text")
        raise DocumentRejected(
            "unknown_encoding", f"the file is not text in any accepted encoding ({', '.join(candidates)})"
        )

    controls = len(CONTROL_RE.findall(text))
    if controls > len(text) * DEFAULT_MAX_CONTROL_RATIO:
        raise DocumentRejected("binary_file", "the file is binary (too many control characters), not report text")
    if not text or text.isspace():  # (not text.strip(), without copying the text)
        raise DocumentRejected("empty_file", "the file holds only whitespace")
    return DecodedText(text, encoding)
