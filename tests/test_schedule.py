"""Scheduled builds: the README's cron line, run the way cron runs it (no terminal, a bare
environment, /bin/sh -c), logs one line per step and exits with a clear code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def _cron(command: str, home: Path) -> subprocess.CompletedProcess:
    # What cron gives a job: /bin/sh, a minimal PATH, HOME and LOGNAME, no terminal, no stdin.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LOGNAME": "root", "SHELL": "/bin/sh"}
    return subprocess.run(
        ["/bin/sh", "-c", command],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        start_new_session=True,
    )


def test_cron_line_builds_then_finds_nothing_new(tmp_path):
    esgwh_bin = shutil.which("esgwh", path=os.path.dirname(sys.executable)) or shutil.which("esgwh")
    assert esgwh_bin, "the esgwh console script is installed next to python"
    warehouse = tmp_path / "warehouse.duckdb"
    log = tmp_path / "esgwh.log"
    # The README's example, with the paths of this test.
    line = f"cd {ROOT} && {esgwh_bin} build --warehouse {warehouse} >> {log} 2>&1"
    first = _cron(line, tmp_path)
    assert first.returncode == 0, log.read_text()
    text = log.read_text()
    for step in ("prepare", "migrate", "load", "dbt", "publish"):
        assert f"[{step}] ok" in text
    second = _cron(line, tmp_path)
    assert second.returncode == 0
    assert "nothing new" in log.read_text().splitlines()[-2]
    status = _cron(f"{esgwh_bin} status --warehouse {warehouse}", tmp_path)
    assert status.returncode == 0 and "published" in status.stdout and "nothing_new" in status.stdout


def test_overlapping_scheduled_runs_exit_75(tmp_path):
    import fcntl

    esgwh_bin = shutil.which("esgwh", path=os.path.dirname(sys.executable)) or shutil.which("esgwh")
    warehouse = tmp_path / "warehouse.duckdb"
    (tmp_path / ".warehouse.duckdb.build").mkdir()
    held = os.open(tmp_path / ".warehouse.duckdb.build", os.O_RDONLY | os.O_DIRECTORY)  # another build's lock
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = _cron(f"cd {ROOT} && {esgwh_bin} build --warehouse {warehouse}", tmp_path)
    finally:
        os.close(held)
    assert result.returncode == 75 and "another build" in result.stderr


def _readme_units() -> dict[str, str]:
    """The esgwh.service and esgwh.timer units exactly as the README shows them."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```ini\n", 1)[1].split("```", 1)[0]
    service, timer = block.split("# esgwh.timer\n")
    return {"esgwh.service": service.replace("# esgwh.service\n", ""), "esgwh.timer": timer}


def test_readme_systemd_units_verify_and_their_command_runs(tmp_path):
    import pytest

    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze is not installed on this machine")
    esgwh_bin = shutil.which("esgwh", path=os.path.dirname(sys.executable)) or shutil.which("esgwh")
    warehouse = tmp_path / "warehouse.duckdb"
    units = _readme_units()
    service = (
        units["esgwh.service"]
        .replace("/srv/esg/venv/bin/esgwh", esgwh_bin)
        .replace("/srv/esg/esgwh", str(ROOT))
        .replace("/srv/esg/warehouse.duckdb", str(warehouse))
    )
    (tmp_path / "esgwh.service").write_text(service)
    (tmp_path / "esgwh.timer").write_text(units["esgwh.timer"])
    verify = subprocess.run(
        [analyze, "verify", str(tmp_path / "esgwh.service"), str(tmp_path / "esgwh.timer")],
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stderr
    assert (
        "Next elapse" in subprocess.run([analyze, "calendar", "*-*-* 02:30:00"], capture_output=True, text=True).stdout
    )
    # Run ExecStart the way systemd does: its WorkingDirectory, a bare environment, no terminal.
    exec_start = next(l.split("=", 1)[1] for l in service.splitlines() if l.startswith("ExecStart="))
    result = _cron(f"cd {ROOT} && {exec_start}", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[publish] ok" in result.stdout
