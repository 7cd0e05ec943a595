"""Reading a listed file's bytes: everything a file in a shared folder can do is one clear rejection."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from ingest import service
from ingest.service import (
    SourceBytes,
    SourceRejected,
    discover,
    name_is_utf8,
    os_name,
    parse_file,
    read_source,
    source_name,
)
from tests.conftest import REPO, SAMPLE_REPORTS

SAMPLE = "001_d843cb21d2372b47.txt"
NO_DAC = ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


@pytest.fixture
def folder(tmp_path):
    shutil.copy(SAMPLE_REPORTS / SAMPLE, tmp_path / "report.txt")
    return tmp_path


def rejection(root, name, **kwargs) -> str:
    read = read_source(root, name, **kwargs)
    assert isinstance(read, SourceRejected), read
    assert read.message
    return read.code


def as_unprivileged(code: str) -> subprocess.CompletedProcess:
    """Run Python code without the power to bypass file permissions (root has it)."""
    prefix = NO_DAC if os.geteuid() == 0 else []
    if prefix and shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return subprocess.run([*prefix, sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)


def test_a_regular_file_is_read_whole(folder):
    read = read_source(folder, "report.txt")
    assert isinstance(read, SourceBytes)
    assert read.data == (SAMPLE_REPORTS / SAMPLE).read_bytes()
    assert read.size_bytes == len(read.data)


def test_a_file_gone_between_listing_and_reading(folder):
    listed = discover(folder)
    (folder / "report.txt").unlink()
    assert rejection(folder, listed[0]) == "file_vanished"
    result = parse_file(folder, listed[0])
    assert result.skipped and result.issues[0].code == "file_vanished" and result.sha256 is None


def test_files_left_out_are_not_listed(folder, tmp_path):
    warehouse = folder / "warehouse"
    (warehouse / "budget.build" / "logs").mkdir(parents=True)
    (warehouse / "budget.build" / "logs" / "build.log").write_text("a log", encoding="utf-8")
    (warehouse / "budget.duckdb").write_bytes(b"not a report")
    (warehouse / "notes.txt").write_text("a file beside them", encoding="utf-8")
    leave_out = [warehouse / "budget.duckdb", warehouse / "budget.build", tmp_path.parent / "elsewhere"]
    assert discover(folder, leave_out) == ["report.txt", "warehouse/notes.txt"]
    assert len(discover(folder)) == 4


def test_a_dangling_symlink(folder):
    (folder / "link.txt").symlink_to(folder / "nowhere.txt")
    assert "link.txt" in discover(folder)
    assert rejection(folder, "link.txt") == "dangling_link"


def test_a_looping_symlink(folder):
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    (folder / "self.txt").symlink_to(folder / "self.txt")
    assert {"a.txt", "b.txt", "self.txt"} <= set(discover(folder))
    assert {rejection(folder, n) for n in ("a.txt", "b.txt", "self.txt")} == {"link_loop"}


def test_a_symlink_to_a_folder_is_listed_and_not_followed(folder):
    (folder / "elsewhere").mkdir()
    (folder / "linked").symlink_to(folder / "elsewhere")
    assert "linked" in discover(folder)
    assert rejection(folder, "linked") == "not_a_file"


def test_a_folder_where_a_file_was_listed(folder):
    listed = discover(folder)
    (folder / "report.txt").unlink()
    (folder / "report.txt").mkdir()
    assert rejection(folder, listed[0]) == "not_a_file"


def test_a_fifo_is_never_opened(folder):
    os.mkfifo(folder / "pipe.txt")
    assert "pipe.txt" in discover(folder)
    signal.alarm(10)  # a blocking open would hang here: fail instead
    try:
        assert rejection(folder, "pipe.txt") == "not_a_file"
        assert "named pipe" in read_source(folder, "pipe.txt").message
        assert service.hash_source(folder, "pipe.txt") is None
    finally:
        signal.alarm(0)


def test_a_device_is_never_read(folder):
    (folder / "zero.txt").symlink_to("/dev/zero")
    assert rejection(folder, "zero.txt") == "not_a_file"
    assert "character device" in read_source(folder, "zero.txt").message


def test_a_file_over_the_size_limit(folder):
    size = (folder / "report.txt").stat().st_size
    assert rejection(folder, "report.txt", max_bytes=size - 1) == "file_too_large"
    assert isinstance(read_source(folder, "report.txt", max_bytes=size), SourceBytes)
    assert parse_file(folder, "report.txt", max_bytes=1000).issues[0].code == "file_too_large"


def test_a_file_that_changes_while_it_is_read(folder, monkeypatch):
    original = service._read_all

    def read_while_written(fd, limit):
        data = original(fd, limit)
        with open(folder / "report.txt", "ab") as f:  # a writer appends as the reader reads
            f.write(b"\n")
        return data

    monkeypatch.setattr(service, "_read_all", read_while_written)
    assert rejection(folder, "report.txt") == "file_changed"


def test_a_file_replaced_while_it_is_read(folder, monkeypatch):
    original = service._read_all

    def read_while_replaced(fd, limit):
        data = original(fd, limit)
        (folder / "new.txt").write_bytes(data)
        os.replace(folder / "new.txt", folder / "report.txt")
        return data

    monkeypatch.setattr(service, "_read_all", read_while_replaced)
    assert rejection(folder, "report.txt") == "file_changed"


def test_an_unreadable_file_and_folder(folder):
    (folder / "locked.txt").write_bytes(b"x")
    (folder / "locked.txt").chmod(0)
    (folder / "closed").mkdir()
    (folder / "closed" / "inside.txt").write_bytes(b"x")
    (folder / "closed").chmod(0)
    try:
        done = as_unprivileged(
            "import sys; from pathlib import Path; from ingest.service import discover, read_source\n"
            f"root = Path({str(folder)!r})\n"
            "names = discover(root)\n"
            "print(names)\n"
            "print(sorted((n, getattr(read_source(root, n), 'code', 'read')) for n in names))\n"
        )
    finally:
        (folder / "closed").chmod(0o755)
    assert done.returncode == 0, done.stderr
    listed, codes = done.stdout.splitlines()
    assert listed == "['closed', 'locked.txt', 'report.txt']"
    assert codes == "[('closed', 'folder_unreadable'), ('locked.txt', 'file_unreadable'), ('report.txt', 'read')]"


@pytest.mark.parametrize(
    "raw",
    [b"caf\xe9.txt", b"\xff\xfe report.txt", "颛桥镇.txt".encode("gbk"), b"a\\xe9.txt", b"line\nbreak.txt"],
)
def test_names_are_kept_losslessly_and_shown_escaped(tmp_path, raw):
    path = os.path.join(os.fsencode(tmp_path), raw)
    with open(path, "wb") as f:
        f.write((SAMPLE_REPORTS / SAMPLE).read_bytes())
    (name,) = discover(tmp_path)
    assert name.isprintable()
    assert os.fsencode(os_name(name)) == raw
    name.encode("utf-8")  # storable in the seeds
    result = parse_file(tmp_path, name)
    assert not result.skipped
    valid = raw.decode("utf-8", "strict") if name_is_utf8(name) else None
    assert [i.code for i in result.issues if i.code == "name_not_utf8"] == ([] if valid else ["name_not_utf8"])


def test_escaped_names_never_collide():
    names = [b"a\\xe9", b"a\xe9", b"a\\\\xe9", b"a\\", "aé".encode()]
    shown = {source_name(os.fsdecode(n)) for n in names}
    assert len(shown) == len(names)
    assert all(os.fsencode(os_name(source_name(os.fsdecode(n)))) == n for n in names)
