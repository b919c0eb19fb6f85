"""A figure the report dates after its own last fiscal year (`截至 2024 年 5 月` in a report on
2021-2023, a year-to-date column) is kept in raw as printed, but never becomes a fiscal year's
value: a later report's full-year figure would look like a restatement of it. It is listed in
marts.mart_extraction_issues with the reason."""

from __future__ import annotations

import duckdb
import pytest

from .conftest import add_report, build, copy_reports

# Made up, in the words of SSV 2023 line 212 (`总用户捐款金额 **38** 亿元`, mapped to
# giving_day_funds_raised by seeds/label_aliases.csv); the table reader refuses a year column after
# the report's years itself (`target_year`), so the rule dbt applies is shown on prose.
DELTA = """\
2023

9月 腾讯 99 公益日总用户捐款金额 **38** 亿元。

截至 2024 年 5 月，99 公益日总用户捐款金额 **12** 亿元。
"""


@pytest.fixture(scope="module")
def delta_build(tmp_path_factory):
    dest = tmp_path_factory.mktemp("after_period")
    project = copy_reports(dest / "project")
    add_report(
        project,
        "delta_sr_2023",
        "Delta Ltd",
        "delta_sr_2023.zh-Hans.txt",
        DELTA,
        (2023, 2023),
        "zh-Hans",
        published="2024-06-01",
    )
    warehouse = dest / "warehouse.duckdb"
    result = build(project, warehouse)
    assert result.returncode == 0, result.stdout + result.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def test_raw_keeps_the_figure_with_the_year_printed(delta_build):
    rows = delta_build.execute("""select f.line_start, f.fiscal_year, f.value_text from raw.figures f
        join raw.documents d using (document_id) where d.report_id = 'delta_sr_2023' order by f.line_start""").fetchall()
    assert rows == [(3, 2023, "38"), (5, 2024, "12")]


def test_no_fiscal_year_value_after_the_reports_period(delta_build):
    years = delta_build.execute("""select fiscal_year, value_as_printed from marts.fct_reported_values
        where report_id = 'delta_sr_2023' and metric_code = 'giving_day_funds_raised' order by fiscal_year""").fetchall()
    assert years == [(2023, "38")]
    assert delta_build.execute("""select count(*) from marts.fct_metric_values
        where company = 'Delta Ltd' and fiscal_year = 2024""").fetchone() == (0,)


def test_the_figure_is_reported_with_the_reason(delta_build):
    rows = delta_build.execute("""select issue_kind, reason_code, line_number, value_as_printed, reason
        from marts.mart_extraction_issues where report_id = 'delta_sr_2023' and reason_code = 'after_report_period'
        order by line_number""").fetchall()
    assert [r[:4] for r in rows] == [("unmapped", "after_report_period", 5, "12")]
    assert "after the report's last fiscal year" in rows[0][4]
