"""The reconciliation checks (generic test parts_sum_to_whole, configured on fct_reported_values)
held to made-up reports in real builds: parts that do not add up fail the build, naming the test
and the rows; a whole stated without every part is said in the build log, not passed in silence."""

from __future__ import annotations

from .conftest import add_report, build, copy_reports

HEADER = "| 指标 | 单位 | 2023 | 2022 |\n|---|---|---|---|\n"


def _build(tmp_path, body: str):
    project = copy_reports(tmp_path / "project")
    add_report(
        project,
        "sumco_esg_2023",
        "Sumco Ltd",
        "sumco_esg_2023.zh-Hans.md",
        body,
        language="zh-Hans",
        title="ESG Report 2023",
        report_type="ESG",
    )
    return build(project, tmp_path / "warehouse.duckdb")


def test_scopes_that_do_not_add_up_fail_the_build_with_the_rows(tmp_path):
    body = HEADER + (
        "| 温室气体排放量 | 吨二氧化碳当量 | 1,000 | 900 |\n| 范围一排放量 | 吨二氧化碳当量 | 100 | 100 |\n"
        "| 范围二排放量 | 吨二氧化碳当量 | 300 | 300 |\n| 范围三排放量 | 吨二氧化碳当量 | 500 | 500 |\n"
    )
    result = _build(tmp_path, body)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "ghg_scopes_sum_to_total" in out
    # 2023: 100 + 300 + 500 = 900, printed total 1,000; 2022 adds up (900)
    failing = next(line for line in out.splitlines() if "ghg_scopes_sum_to_total" in line and " returned: " in line)
    assert "'sumco_esg_2023', 2023" in failing and "'sumco_esg_2023', 2022" not in failing


def test_a_total_without_every_scope_is_said_in_the_build_log(tmp_path):
    body = HEADER + "| 温室气体排放量 | 吨二氧化碳当量 | 1,000 | 900 |\n| 范围一排放量 | 吨二氧化碳当量 | 100 | 100 |\n"
    result = _build(tmp_path, body)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    warn = next(line for line in out.splitlines() if line.startswith("[dbt] warn ghg_total_without_every_scope"))
    assert "'sumco_esg_2023'" in warn and "ghg_scope1" in warn
