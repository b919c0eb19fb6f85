"""The manifest and the hash check: a report that does not match is refused, by name."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from loaders.errors import LoaderError, ManifestError
from loaders.manifest import read_manifest, read_verified_bytes

from .conftest import REPORTS


def _data_copy(tmp_path):
    dest = tmp_path / "reports"
    shutil.copytree(REPORTS, dest)
    return dest


def test_bundled_manifest_lists_the_five_reports_with_matching_hashes():
    entries = read_manifest(REPORTS)
    assert sorted(e.file_name for e in entries) == sorted(p.name for p in REPORTS.glob("*.txt"))
    assert len(entries) == 5
    for e in entries:
        assert hashlib.sha256(read_verified_bytes(e)).hexdigest() == e.sha256
    ssv = {e.report_id: e for e in entries}["tencent_ssv_2023"]
    assert (ssv.report_type, ssv.script, ssv.fiscal_year_start, ssv.fiscal_year_end) == ("SSV", "zh-Hans", 2021, 2023)


@pytest.mark.attack("manifest")
def test_changed_content_is_refused_naming_the_file(tmp_path):
    data = _data_copy(tmp_path)
    target = data / "tencent_ssv_2023.zh-Hans.txt"
    target.write_bytes(target.read_bytes() + b"\n")
    entry = {e.file_name: e for e in read_manifest(data)}[target.name]
    with pytest.raises(LoaderError) as err:
        read_verified_bytes(entry)
    assert "tencent_ssv_2023.zh-Hans.txt" in str(err.value)
    assert "does not match the manifest" in str(err.value)


def _rewrite_manifest(data, old: str, new: str):
    manifest = data / "manifest.csv"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.attack("manifest")
def test_a_path_outside_the_data_folder_is_refused_with_its_line(tmp_path):
    data = _data_copy(tmp_path)
    _rewrite_manifest(data, ",tencent_csr_2019.zh-Hans.txt,", ",../tencent_csr_2019.zh-Hans.txt,")
    with pytest.raises(ManifestError) as err:
        read_manifest(data)
    assert "manifest.csv:2" in str(err.value)
    assert "must name a file directly inside" in str(err.value)


@pytest.mark.attack("manifest")
def test_the_same_report_twice_under_two_ids_is_refused(tmp_path):
    data = _data_copy(tmp_path)
    manifest = data / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    dup = (
        lines[1]
        .replace("tencent_csr_2019,", "tencent_csr_2019_copy,", 1)
        .replace("tencent_csr_2019.zh-Hans.txt", "copy.zh-Hans.txt")
    )
    shutil.copy(data / "tencent_csr_2019.zh-Hans.txt", data / "copy.zh-Hans.txt")
    manifest.write_text("\n".join(lines + [dup]) + "\n", encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        read_manifest(data)
    assert "listed twice" in str(err.value)


@pytest.mark.attack("manifest")
def test_a_bad_date_is_refused_with_its_line(tmp_path):
    data = _data_copy(tmp_path)
    _rewrite_manifest(data, "2024-06-03", "2024-13-03")
    with pytest.raises(ManifestError) as err:
        read_manifest(data)
    assert "manifest.csv:6" in str(err.value) and "publication_date" in str(err.value)


# --- manifests as spreadsheet tools save them (issue 11, weak spot: manifest class) ---------------


@pytest.mark.attack("manifest")
def test_a_byte_order_mark_is_accepted(tmp_path):
    data = _data_copy(tmp_path)
    manifest = data / "manifest.csv"
    manifest.write_bytes(b"\xef\xbb\xbf" + manifest.read_bytes())
    assert len(read_manifest(data)) == 5


@pytest.mark.parametrize(
    "name, damage, message",
    [
        ("gbk", lambda b: b.replace("腾讯社会责任报告".encode(), "腾讯社会责任报告".encode("gbk")), "is not UTF-8"),
        ("nul", lambda b: b.replace(b"CSR,2020", b"CSR\x00,2020"), "NUL byte"),
        (
            "oversized",
            lambda b: b.replace(b"Corporate Social", b'"' + b"x" * 200_000 + b'"', 1),
            "not a readable CSV row",
        ),
    ],
)
@pytest.mark.attack("manifest")
def test_a_manifest_a_spreadsheet_mangled_is_refused_with_its_line(tmp_path, name, damage, message):
    data = _data_copy(tmp_path)
    manifest = data / "manifest.csv"
    manifest.write_bytes(damage(manifest.read_bytes()))
    with pytest.raises(ManifestError) as err:
        read_manifest(data)
    assert "manifest.csv:2" in str(err.value) and message in str(err.value)


@pytest.mark.attack("manifest")
def test_a_mangled_manifest_fails_the_build_with_exit_3(tmp_path):
    from .conftest import copy_reports, esgwh, project_env

    project = copy_reports(tmp_path / "project")
    manifest = project / "data" / "reports" / "manifest.csv"
    manifest.write_bytes(manifest.read_bytes().replace(b"CSR,2020", b"CSR\x00,2020"))
    result = esgwh("build", "--warehouse", str(tmp_path / "w.duckdb"), cwd=project, env=project_env(project))
    assert result.returncode == 3 and "manifest.csv:2" in result.stderr and "Traceback" not in result.stderr
