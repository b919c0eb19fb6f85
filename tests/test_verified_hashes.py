"""A report file unchanged since it was last found to match the manifest is not read again; any
write to it, even one that puts its size and modification time back, makes it hashed again."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest

from loaders.errors import LoaderError
from loaders.load import verify_reports
from loaders.verified_hashes import RACY_SECONDS

from .conftest import REPORTS

SSV23 = "tencent_ssv_2023.zh-Hans.txt"


def _copy(tmp_path):
    data = tmp_path / "reports"
    shutil.copytree(REPORTS, data)
    return data, tmp_path / "verified_hashes.json"


@pytest.fixture
def settled(tmp_path):
    """A copy of the reports whose last change is older than the racy window."""
    data, hashes = _copy(tmp_path)
    time.sleep(RACY_SECONDS + 0.2)
    return data, hashes


def test_a_settled_file_is_hashed_once_then_trusted_until_forced(settled):
    data, hashes = settled
    first = verify_reports(data, hashes)
    assert (first.hashed, first.unchanged) == (5, 0)
    assert len(json.loads(hashes.read_text(encoding="utf-8"))["files"]) == 5
    again = verify_reports(data, hashes)
    assert (again.hashed, again.unchanged) == (0, 5)
    forced = verify_reports(data, hashes, trust=False)
    assert (forced.hashed, forced.unchanged) == (5, 0)
    assert verify_reports(data).hashed == 5  # no record kept: every file hashed


@pytest.mark.attack("manifest")
def test_a_same_size_edit_with_its_times_put_back_is_still_refused(settled):
    data, hashes = settled
    verify_reports(data, hashes)
    target = data / SSV23
    before = target.stat()
    body = bytearray(target.read_bytes())
    body[100] ^= 1  # one bit, same size
    target.write_bytes(bytes(body))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (target.stat().st_size, target.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    with pytest.raises(LoaderError) as err:
        verify_reports(data, hashes)
    assert SSV23 in str(err.value) and "does not match the manifest" in str(err.value)


def test_a_file_replaced_by_an_identical_copy_is_hashed_again_and_passes(settled):
    data, hashes = settled
    verify_reports(data, hashes)
    target = data / SSV23
    copy = target.with_name("copy")
    shutil.copy2(target, copy)
    os.replace(copy, target)  # a new inode with the same bytes and times
    again = verify_reports(data, hashes)
    assert (again.hashed, again.unchanged) == (1, 4)


def test_a_file_written_just_now_is_not_remembered(tmp_path):
    data, hashes = _copy(tmp_path)  # every file's change time is now
    assert verify_reports(data, hashes).hashed == 5
    assert json.loads(hashes.read_text(encoding="utf-8"))["files"] == {}
    assert verify_reports(data, hashes).hashed == 5


@pytest.mark.parametrize("content", ["", "not json", '{"format": 99, "files": {}}', '{"format": 1, "files": []}'])
def test_an_unreadable_record_means_hashing_everything(tmp_path, content):
    data, hashes = _copy(tmp_path)
    hashes.write_text(content, encoding="utf-8")
    assert verify_reports(data, hashes).hashed == 5


def test_a_missing_file_is_refused_with_its_manifest_line(settled):
    data, hashes = settled
    verify_reports(data, hashes)
    (data / SSV23).unlink()
    with pytest.raises(LoaderError) as err:
        verify_reports(data, hashes)
    assert SSV23 in str(err.value) and "does not exist" in str(err.value)
