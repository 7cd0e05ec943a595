"""Reading report files: discovery, reading bytes safely, telling the format, reading and parsing one file.

Every file is read by its content, not its name (``ingest.formats``).  A file that cannot be
used (unreadable, gone, a link to nothing, a pipe or a device, too large, changing while it is
read, empty, binary, encrypted, scanned, cut off, of an unknown kind, not a self-evaluation, or
one that trips a parser bug) becomes a skipped FileResult with one clear reason; it never stops
the rest of the corpus.

Names are kept losslessly: ``source_file`` is the path relative to the reports
folder with ``/`` separators, in which a backslash is written ``\\\\`` and every
byte that is not valid UTF-8 (or a control character) is written ``\\xNN``;
``source_path`` turns it back into the file's real name.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest import readers
from ingest.formats import UnknownFormat, detect
from ingest.model import ERROR, WARNING, DocumentRejected, FileResult, ParseIssue
from ingest.parse import parse_rows
from ingest.vocabulary import load_vocabulary

__all__ = ["FileResult", "discover", "parse_file", "read_source"]

DEFAULT_MAX_FILE_BYTES = 200 * 1024 * 1024  # far above any published report (the largest real one is ~25 kB)
READ_CHUNK_BYTES = 1 << 20
SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


# --- names -------------------------------------------------------------------


def source_name(os_relative: str) -> str:
    """The lossless, printable form of a relative path as the OS gives it (surrogate-escaped str)."""
    text = os.fsencode(os_relative).decode("utf-8", "surrogateescape")
    if text.isprintable() and "\\" not in text:
        return text
    out = []
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8
            out.append(f"\\x{code - 0xDC00:02x}")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        else:
            out.append(ch)
    return "".join(out)


def os_name(name: str) -> str:
    """The inverse of ``source_name``: the relative path as the OS spells it."""
    if "\\" not in name:
        return name
    raw = bytearray()
    i = 0
    while i < len(name):
        if name.startswith("\\\\", i):
            raw += b"\\"
            i += 2
        elif name.startswith("\\x", i) and len(name) >= i + 4:
            raw.append(int(name[i + 2 : i + 4], 16))
            i += 4
        else:
            raw += name[i].encode("utf-8")
            i += 1
    return os.fsdecode(bytes(raw))


def source_path(root: Path | str, name: str) -> str:
    """The file's real path (a string: one is made for every listed file, and a Path costs more
    than the stat it is made for)."""
    return os.path.join(root, os_name(name))


def name_is_utf8(name: str) -> bool:
    """Whether the file's real name is valid UTF-8 (else source_file holds its escaped form)."""
    try:
        os.fsencode(os_name(name)).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def discover(root: Path, leave_out: Iterable[Path] = ()) -> list[str]:
    """Every non-hidden entry under ``root`` that should be a report, as sorted ``source_name`` paths.

    The content decides what a file is, so every file is listed.  Folders that cannot be
    listed and links to folders are listed too, so that each is reported instead of lost.
    ``leave_out``: files and folders that are not reports although they may lie under ``root``
    (a warehouse kept in its reports folder: its database, build files and Data Docs).
    """
    found = []
    top = os.fspath(root)
    resolved = Path(root).resolve()
    left_out = set()
    for path in leave_out:
        relative = os.path.relpath(Path(path).resolve(), resolved)
        if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            left_out.add(relative)

    def unreadable(error: OSError) -> None:
        if error.filename and os.fspath(error.filename) != top:
            found.append(os.path.relpath(error.filename, top))

    for directory, dirnames, filenames in os.walk(top, onerror=unreadable):
        relative = os.path.relpath(directory, top)
        prefix = "" if relative == os.curdir else relative + os.sep
        kept = []
        for d in sorted(dirnames):
            if d.startswith(".") or prefix + d in left_out:
                continue
            if os.path.islink(os.path.join(directory, d)):
                found.append(prefix + d)  # not followed: reported
            else:
                kept.append(d)
        dirnames[:] = kept
        found += (prefix + n for n in filenames if not n.startswith(".") and prefix + n not in left_out)
    return sorted(source_name(f.replace(os.sep, "/")) for f in found)


# --- bytes -------------------------------------------------------------------


@dataclass(frozen=True)
class SourceBytes:
    data: bytes
    size_bytes: int
    mtime: float


@dataclass(frozen=True)
class SourceRejected:
    """Why a file's bytes could not be read; the file is skipped with this reason."""

    code: str
    message: str
    size_bytes: int | None = None
    mtime: float | None = None


def _signature(st: os.stat_result) -> tuple:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, stat.S_IFMT(st.st_mode))


def _read_all(fd: int, limit: int) -> bytes:
    """Up to ``limit`` bytes of an open file."""
    chunks, total = [], 0
    while total < limit:
        chunk = os.read(fd, min(READ_CHUNK_BYTES, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _stat_target(path: str) -> os.stat_result | SourceRejected:
    """The stat of what ``path`` names, following links, or why it cannot be used."""
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return SourceRejected("file_vanished", "the file disappeared between listing and reading")
    except OSError as error:
        return SourceRejected("file_unreadable", f"the file cannot be read ({error.strerror})")
    if not stat.S_ISLNK(link.st_mode):
        return link
    try:
        return os.stat(path)
    except FileNotFoundError:
        target = os.readlink(path) if os.path.islink(path) else "?"
        return SourceRejected("dangling_link", f"a symbolic link to {target!r}, which does not exist")
    except OSError as error:
        if error.errno == errno.ELOOP:
            return SourceRejected("link_loop", "a symbolic link that loops (too many levels of links)")
        return SourceRejected("file_unreadable", f"the link's target cannot be read ({error.strerror})")


def read_source(root: Path, name: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> SourceBytes | SourceRejected:
    """The bytes of one listed file, or why they cannot be used.  Never blocks, never raises OSError.

    Pipes and devices are recognised from their stat and never opened; the file is opened
    non-blocking, checked to be the regular file that was stat'ed, and stat'ed again after
    reading: a file that changed meanwhile is rejected rather than read half old, half new.
    """
    path = source_path(root, name)
    before = _stat_target(path)
    if isinstance(before, SourceRejected):
        return before
    mtime = before.st_mtime
    if stat.S_ISDIR(before.st_mode):
        if os.path.islink(path):
            return SourceRejected("not_a_file", "a symbolic link to a folder: not followed, its files are not read")
        try:
            os.listdir(path)
        except OSError as error:
            return SourceRejected("folder_unreadable", f"a folder that cannot be listed ({error.strerror}): not read")
        return SourceRejected("not_a_file", "a folder where a file was expected (it appeared after listing)")
    for is_kind, kind in SPECIAL_FILES:
        if is_kind(before.st_mode):
            return SourceRejected("not_a_file", f"{kind}, not a file: not read", mtime=mtime)
    if before.st_size > max_bytes:
        return SourceRejected(
            "file_too_large",
            f"{before.st_size:,} bytes, over the limit of {max_bytes:,} bytes (--max-file-mb)",
            before.st_size,
            mtime,
        )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return SourceRejected("file_vanished", "the file disappeared between listing and reading")
    except OSError as error:
        return SourceRejected("file_unreadable", f"the file cannot be read ({error.strerror})", before.st_size, mtime)
    try:
        opened = os.fstat(fd)
        if _signature(opened) != _signature(before):
            return SourceRejected("file_changed", "the file was replaced or changed while it was read", mtime=mtime)
        data = _read_all(fd, max_bytes + 1)
        after = os.fstat(fd)
    except OSError as error:
        return SourceRejected("file_unreadable", f"the file cannot be read ({error.strerror})", before.st_size, mtime)
    finally:
        os.close(fd)
    try:
        still = os.stat(path)
    except OSError:
        return SourceRejected("file_vanished", "the file disappeared while it was read", before.st_size, mtime)
    if (
        len(data) != before.st_size
        or _signature(after) != _signature(before)
        or _signature(still) != _signature(before)
    ):
        return SourceRejected(
            "file_changed", "the file changed while it was read: skipped, the next build reads it", mtime=mtime
        )
    return SourceBytes(data, len(data), mtime)


def hash_source(root: Path, name: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> str | None:
    """SHA-256 of a file's bytes, or None if they cannot be read safely (the file is then parsed, and skipped)."""
    read = read_source(root, name, max_bytes)
    return hashlib.sha256(read.data).hexdigest() if isinstance(read, SourceBytes) else None


# --- one file ----------------------------------------------------------------


def parse_file(root: Path, source_file: str, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> FileResult:
    read = read_source(root, source_file, max_bytes)
    if isinstance(read, SourceRejected):
        result = FileResult(source_file, None, read.size_bytes, read.mtime)
        result.issues = [ParseIssue(None, ERROR, read.code, read.message)]
        return result
    data = read.data
    result = FileResult(source_file, hashlib.sha256(data).hexdigest(), read.size_bytes, read.mtime)
    try:
        fmt = detect(data)
        result.detected_format, result.reader = fmt, readers.reader_name(fmt)
        rows = readers.read(fmt, data, source_file)
        result.encoding = rows.encoding
        if rows.layout:
            result.reader = f"{result.reader}, {rows.layout} layout"
        result.document = parse_rows(rows, load_vocabulary())
        result.issues = [*rows.issues, *result.document.issues]
    except UnknownFormat as unknown:
        result.issues = [ParseIssue(None, ERROR, "unknown_format", f"not a report: {unknown}")]
    except DocumentRejected as rejected:
        result.issues = [ParseIssue(rejected.line_no, ERROR, rejected.code, rejected.message)]
    except Exception as exc:  # a reader or parser bug must cost one file, not the build
        result.issues = [ParseIssue(None, ERROR, "parser_failed", f"parser failed: {type(exc).__name__}: {exc}")]
    if not name_is_utf8(source_file):
        result.issues.append(
            ParseIssue(None, WARNING, "name_not_utf8", f"the file name is not valid UTF-8: kept as {source_file}")
        )
    return result
