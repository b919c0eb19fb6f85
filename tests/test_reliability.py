"""Fault injection: bad inputs, killed builds, repeated builds. None may cost a figure or put a
wrong one into a mart. Tallies go into the summary line printed at the end of the run."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from .conftest import RELIABILITY, ROOT, copy_reports, esgwh, project_env, rehash

SSV23 = "tencent_ssv_2023.zh-Hans.txt"
ESG21 = "tencent_esg_2021.zh-Hant.txt"
MARTS = [
    "fct_reported_values",
    "fct_metric_values",
    "mart_yoy_comparison",
    "mart_metric_wide",
    "dim_metric",
    "dim_report",
    "mart_extraction_issues",
]


def mart_digest(path: Path) -> dict[str, str]:
    """A hash of each mart's sorted rows (dim_report.loaded_at, the load time, left out)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for mart in MARTS:
            cols = "* EXCLUDE (loaded_at)" if mart == "dim_report" else "*"
            rows = con.execute(f"SELECT {cols} FROM marts.{mart} ORDER BY ALL").fetchall()
            out[mart] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        con.close()


def facts(path: Path) -> dict[tuple, object]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            tuple(r[:6]): r[6]
            for r in con.execute(
                "SELECT company, metric_code, dimension, member, fiscal_year, report_id, value FROM marts.fct_reported_values"
            ).fetchall()
        }
    finally:
        con.close()


def raw_counts(path: Path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0]
            for t in ("documents", "figures", "quarantine", "table_notes", "load_runs")
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def baseline(built_warehouse):
    return {"facts": facts(built_warehouse), "digest": mart_digest(built_warehouse), "path": built_warehouse}


def _edit(project: Path, file_name: str, change, register: bool = True) -> None:
    """Change a report; `register` its new hash in the manifest (a deliberate edit) or not (tampering)."""
    path = project / "data" / "reports" / file_name
    path.write_bytes(change(path.read_bytes()))
    if register:
        rehash(project, file_name)


def _replace_line(line_no: int, old: str, new: str):
    def change(data: bytes) -> bytes:
        lines = data.decode("utf-8").split("\n")
        assert old in lines[line_no - 1], lines[line_no - 1]
        lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
        return "\n".join(lines).encode("utf-8")

    return change


def _manifest(change):
    def apply(project: Path) -> None:
        manifest = project / "data" / "reports" / "manifest.csv"
        manifest.write_text(change(manifest.read_text(encoding="utf-8")), encoding="utf-8")

    return apply


def _duplicate_report(project: Path) -> None:
    reports = project / "data" / "reports"
    shutil.copy(reports / SSV23, reports / "copy_of_ssv_2023.zh-Hans.txt")
    lines = (reports / "manifest.csv").read_text(encoding="utf-8").splitlines()
    ssv = next(l for l in lines if f",{SSV23}," in l)
    lines.append(
        ssv.replace("tencent_ssv_2023,", "tencent_ssv_2023_copy,", 1).replace(SSV23, "copy_of_ssv_2023.zh-Hans.txt")
    )
    (reports / "manifest.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


# (name, how to break the project copy, expected: ("refused", text in stderr) or ("quarantined"/"unmapped", reason))
FAULTS = [
    ("empty file", lambda p: _edit(p, SSV23, lambda d: b""), ("refused", f"{SSV23}: file is empty")),
    ("binary garbage", lambda p: _edit(p, SSV23, lambda d: d[:5000] + b"\x00\xff\xfe" * 100), ("refused", f"{SSV23}:")),
    (
        "GBK copy",
        lambda p: _edit(p, SSV23, lambda d: d.decode("utf-8").encode("gbk", errors="replace")),
        ("refused", "not valid UTF-8"),
    ),
    (
        "Big5 copy",
        lambda p: _edit(p, ESG21, lambda d: d.decode("utf-8").encode("big5", errors="replace")),
        ("refused", "not valid UTF-8"),
    ),
    (
        "table truncated mid-row",
        lambda p: _edit(p, SSV23, lambda d: "\n".join(d.decode("utf-8").split("\n")[:3299])[:-6].encode("utf-8")),
        ("refused", f"{SSV23}:3299:"),
    ),
    (
        "number with two decimal points",
        lambda p: _edit(p, SSV23, _replace_line(3233, "5,601.18", "5,601.1.8")),
        ("quarantined", "unparseable_value"),
    ),
    ("unknown unit", lambda p: _edit(p, SSV23, _replace_line(3253, "\t升\t", "\t斤\t")), ("unmapped", "unmapped_unit")),
    (
        "row with one value too many",
        lambda p: _edit(p, SSV23, _replace_line(3234, "1,576.88", "1,576.88\t1,600.00")),
        ("quarantined", "too_many_values"),
    ),
    (
        "label never seen before",
        lambda p: _edit(p, SSV23, _replace_line(3234, "盈利", "息税前利润")),
        ("unmapped", "unmapped_label"),
    ),
    ("same report twice under two names", _duplicate_report, ("refused", "listed twice")),
    (
        "content no longer matches its hash",
        lambda p: _edit(p, SSV23, lambda d: d + b"\n", register=False),
        ("refused", "does not match the manifest"),
    ),
    (
        "manifest row pointing outside the data folder",
        _manifest(lambda t: t.replace(f",{SSV23},", f",../../{SSV23},")),
        ("refused", "must name a file directly inside"),
    ),
]


@pytest.mark.attack("report text")
@pytest.mark.parametrize("name,breaker,expected", FAULTS, ids=[f[0] for f in FAULTS])
def test_bad_input(tmp_path, baseline, name, breaker, expected):
    project = copy_reports(tmp_path / "project")
    live = tmp_path / "warehouse.duckdb"
    shutil.copyfile(baseline["path"], live)
    before = live.read_bytes()
    breaker(project)
    RELIABILITY["inputs tried"] += 1
    RELIABILITY["faults injected"] += 1
    result = esgwh("build", "--warehouse", str(live), env=project_env(project))
    kind, text = expected
    if kind == "refused":
        assert result.returncode == 3, result.stdout + result.stderr
        assert text in result.stderr and "was left as it was" in result.stderr
        assert live.read_bytes() == before  # the previous warehouse, byte for byte
        assert not live.with_name("warehouse.duckdb.wal").exists()
        assert mart_digest(live) == baseline["digest"]  # and still queryable
        return
    assert result.returncode == 0, result.stdout + result.stderr
    con = duckdb.connect(str(live), read_only=True)
    try:
        reasons = {r[0] for r in con.execute("SELECT reason_code FROM marts.mart_extraction_issues").fetchall()}
    finally:
        con.close()
    assert text in reasons
    now = facts(live)
    wrong = [k for k, v in now.items() if k not in baseline["facts"] or baseline["facts"][k] != v]
    lost = [k for k in baseline["facts"] if k not in now]
    RELIABILITY["wrong figures"] += len(wrong)
    assert wrong == []
    # Only the figures of the broken row may go missing (it is quarantined or unmapped instead).
    assert len(lost) <= 3, lost


def _run_until_pause(live: Path, point: str) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "esgwh", "build", "--force", "--warehouse", str(live)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "ESGWH_PAUSE_AT": point},
    )
    deadline = time.monotonic() + 240
    for line in proc.stdout:
        if line.startswith(f"[pause] at {point}"):
            return proc
        assert time.monotonic() < deadline
    raise AssertionError(f"build ended without reaching {point}: exit {proc.wait()}")


@pytest.mark.attack("processes and locks")
@pytest.mark.parametrize("point", ["load", "dbt", "publish"])
def test_sigkill_leaves_the_live_warehouse_and_the_next_build_succeeds(tmp_path, baseline, point):
    live = tmp_path / "warehouse.duckdb"
    if point == "load":
        # A fresh build: the kill lands after the first report was stored, mid-load.
        live_before = None
    else:
        shutil.copyfile(baseline["path"], live)
        live_before = live.read_bytes()
    counts_before = raw_counts(baseline["path"])
    proc = _run_until_pause(live, point)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    RELIABILITY["faults injected"] += 1
    if live_before is None:
        assert not live.exists()  # nothing half-built was published
    else:
        assert live.read_bytes() == live_before
        assert mart_digest(live) == baseline["digest"]
    assert not live.with_name(live.name + ".wal").exists()
    result = esgwh("build", "--warehouse", str(live))
    assert result.returncode == 0, result.stdout + result.stderr
    assert mart_digest(live) == baseline["digest"]
    counts_after = raw_counts(live)
    lost = sum(
        max(0, counts_before[t] - counts_after[t]) for t in ("documents", "figures", "quarantine", "table_notes")
    )
    RELIABILITY["rows lost"] += lost
    assert lost == 0


def test_five_builds_in_a_row_give_identical_marts(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    digests = []
    for _ in range(5):
        result = esgwh("build", "--warehouse", str(live))
        assert result.returncode == 0, result.stderr
        digests.append(mart_digest(live))
    assert all(d == digests[0] for d in digests)
    assert raw_counts(live)["load_runs"] == 1  # later builds found nothing new to load
