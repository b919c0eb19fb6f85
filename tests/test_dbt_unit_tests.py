"""The dbt unit tests of the models' logic (models/*/_*_unit_tests.yml), which `esgwh build`
leaves out: they test the SQL on fixed inputs, not the data."""

from __future__ import annotations

import json
import re

from .conftest import ROOT, esgwh


def test_every_dbt_unit_test_passes(built_warehouse):
    declared = sum(
        len(re.findall(r"^  - name: ", p.read_text(encoding="utf-8"), re.M))
        for p in (ROOT / "models").glob("*/_*_unit_tests.yml")
    )
    before = built_warehouse.resolve().read_bytes()
    result = esgwh("unit-tests", "--warehouse", str(built_warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{declared} dbt unit test(s) passed" in result.stdout + result.stderr
    assert declared >= 11
    assert built_warehouse.resolve().read_bytes() == before  # run on a copy


def test_the_build_runs_the_data_tests_but_not_the_unit_tests(built_warehouse):
    results = json.loads(
        (built_warehouse.parent / ".warehouse.duckdb.build" / "target" / "run_results.json").read_text()
    )
    kinds = {r["unique_id"].split(".")[0] for r in results["results"]}
    assert {"model", "seed", "test"} <= kinds and "unit_test" not in kinds


def test_no_built_warehouse_is_a_clear_refusal(tmp_path):
    (tmp_path / "folder.duckdb").mkdir()
    (tmp_path / "notes.duckdb").write_text("not a database\n", encoding="utf-8")
    for command in ("unit-tests", "docs"):
        for target, said in (
            (tmp_path / "missing.duckdb", "run `esgwh build` first"),
            (tmp_path / "folder.duckdb", "run `esgwh build` first"),
            (tmp_path / "notes.duckdb", "is not a DuckDB warehouse"),
        ):
            result = esgwh(command, "--warehouse", str(target), cwd=tmp_path)
            assert result.returncode == 2, (command, target, result.stdout + result.stderr)
            assert said in result.stderr and "Traceback" not in result.stdout + result.stderr
