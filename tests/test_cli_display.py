"""The analyst commands as a reader meets them: tables fitted to an 80- and a 200-column terminal
(rich takes the width from COLUMNS), figures at their printed precision, true/false in every
format, and every invalid option value refused (exit 2) with the valid choices listed."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import duckdb
import pytest
from rich.cells import cell_len

from .conftest import esgwh


def run(warehouse, *args, width=80):
    return esgwh(*args, "--warehouse", str(warehouse), env={"COLUMNS": str(width)})


def lines_fit(text: str, width: int) -> bool:
    return all(cell_len(line) <= width for line in text.splitlines())


@pytest.mark.parametrize("width", [80, 200])
def test_show_fits_the_terminal_and_keeps_every_figure_whole(built_warehouse, width):
    result = run(built_warehouse, "show", "ghg_scope1", width=width)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert lines_fit(out, width), out
    rows = {line.split()[0]: line for line in out.splitlines() if re.match(r"\s*20\d\d\s+[\d,.]+\s", line)}
    # SSV 2023 line 3247: 18,797.8 / 172,137.9 / 275,373.5 tCO2e; 2022 against 2021 not like for like
    assert "18,797.8" in rows["2021"] and "172,137.9" in rows["2022"] and "275,373.5" in rows["2023"]
    assert "NO [1]" in rows["2022"] and "yes" in rows["2023"]
    assert "[1] Scope 1 includes fugitive emissions" in out
    source = "tencent_ssv_2023.zh-Hans.txt:3247" if width == 200 else "tencent_ssv_2023:3247"
    assert all(source in line for line in rows.values())
    assert "tCO2e" in out and "Tencent Holdings Ltd" in out
    if width == 200:
        assert "+59.97 %" in rows["2023"] and "not shown" not in out


def test_figures_print_at_their_printed_precision(built_warehouse):
    pue = run(built_warehouse, "show", "pue")
    assert pue.returncode == 0, pue.stderr
    # SSV 2023 line 3263: 1.317 / 1.289 / 1.279; SSV 2021: 1.32 (2020); never 1.2790000000
    assert "1.279" in pue.stdout and "1.289" in pue.stdout and "0000" not in pue.stdout
    # SSV 2021 line 300 prints the 2020 share of women trained as 98.00 %
    trained = run(built_warehouse, "show", "trained_share", "-d", "gender", "-m", "female")
    assert trained.returncode == 0, trained.stderr
    assert "98.00" in trained.stdout and "99.59" in trained.stdout


def test_metric_names_match_in_any_case_and_near_misses_are_suggested(built_warehouse):
    upper = run(built_warehouse, "show", "PUE")
    assert upper.returncode == 0 and "1.279" in upper.stdout
    near = run(built_warehouse, "show", "ghg_scope_1")
    assert near.returncode == 2 and "did you mean ghg_scope1" in near.stderr
    assert "Traceback" not in near.stderr


def test_a_metric_reported_only_in_splits_shows_its_splits(built_warehouse):
    listed = run(built_warehouse, "metrics", "--family", "training", width=200)
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if line.strip().startswith("trained_share "))
    assert "2020 2021 2022 2023" in row and "gender, management_level" in row
    shown = run(built_warehouse, "show", "trained_share", width=200)
    assert shown.returncode == 0, shown.stderr
    assert "reported only in splits" in shown.stderr
    assert "gender/female" in shown.stdout and "management_level/non_management" in shown.stdout


@pytest.mark.parametrize(
    "args, choices",
    [
        (["query", "select 1", "-f", "xml"], ["table", "csv", "json", "jsonl"]),
        (["export", "-f", "xlsx"], ["csv", "parquet", "jsonl", "both", "Excel files are not supported"]),
        (["export", "--mart", "nope"], ["fct_metric_values", "mart_metric_wide"]),
        (["metrics", "--family", "nope"], ["emissions", "employees", "training"]),
        (["metrics", "--family", "emission"], ["did you mean emissions"]),
        (["show", "pue", "-d", "gender", "-m", "female"], ["-d total -m total"]),
        (["show", "trained_share", "-d", "gender", "-m", "nobody"], ["female, male"]),
        (["compare", "turnover_rate", "-y", "2023", "-d", "planet"], ["-d gender -m female|male"]),
        (["show", "pue", "-m", "female"], ["--member needs --dimension"]),
        (["show", "pue", "--company", " "], ["--company", "is empty"]),
        (["export", "--company", ""], ["--company", "is empty"]),
    ],
)
def test_invalid_option_values_exit_2_listing_the_valid_ones(built_warehouse, tmp_path, args, choices):
    if args[0] == "export":
        args = [*args, "--out", str(tmp_path / "export")]
    result = run(built_warehouse, *args, width=200)
    assert result.returncode == 2, (result.stdout, result.stderr)
    message = " ".join(result.stderr.split())  # typer boxes its message over several lines
    assert all(c in message for c in choices), result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "export").exists()


def test_build_refuses_an_unknown_target(tmp_path):
    result = esgwh("build", "--target", "oracle", "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 2 and "duckdb" in result.stderr and "spark" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()


@pytest.mark.parametrize("sql", ["", "   ", ";", "/* nothing */"])
def test_an_empty_query_is_an_error_not_a_traceback(built_warehouse, sql):
    result = run(built_warehouse, "query", sql)
    assert result.returncode in (1, 2) and "esgwh query:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_query_formats_keep_full_precision_and_spell_booleans_true_false(built_warehouse):
    sql = (
        "select metric_code, fiscal_year, value, is_restated from marts.fct_metric_values "
        "where metric_code = 'ghg_scope2' and dimension = 'total' order by fiscal_year"
    )
    as_csv = run(built_warehouse, "query", sql, "-f", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    by_year = {r["fiscal_year"]: r for r in rows}
    # SSV 2023 line 3248 restates 2021 scope 2 as 2,471,041.1 t
    assert by_year["2021"]["value"] == "2471041.1000000000" and by_year["2021"]["is_restated"] in ("true", "false")
    assert {r["is_restated"] for r in rows} <= {"true", "false"}
    as_json = run(built_warehouse, "query", sql, "-f", "json")
    assert as_json.returncode == 0, as_json.stderr
    records = json.loads(as_json.stdout, parse_float=Decimal)
    assert [r["fiscal_year"] for r in records] == [int(r["fiscal_year"]) for r in rows]
    assert records[1]["value"] == Decimal("2471041.1000000000") and isinstance(records[1]["is_restated"], bool)
    as_jsonl = run(built_warehouse, "query", sql, "-f", "JSONL")
    assert [json.loads(line, parse_float=Decimal) for line in as_jsonl.stdout.splitlines()] == records
    table = run(built_warehouse, "query", sql)
    assert "2,471,041.1" in table.stdout and "2021" in table.stdout and "2,021" not in table.stdout
    assert ("true" in table.stdout or "false" in table.stdout) and "True" not in table.stdout


def test_export_jsonl_and_csv_spell_booleans_as_duckdb_does(built_warehouse, tmp_path):
    result = esgwh(
        "export",
        "--out",
        str(tmp_path),
        "-f",
        "jsonl",
        "--mart",
        "FCT_METRIC_VALUES",
        "--warehouse",
        str(built_warehouse),
    )
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "fct_metric_values.jsonl").read_text(encoding="utf-8").splitlines()
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        assert len(lines) == con.execute("SELECT count(*) FROM marts.fct_metric_values").fetchone()[0]
    finally:
        con.close()
    assert all(isinstance(json.loads(line)["is_restated"], bool) for line in lines)


@pytest.mark.parametrize("width", [80, 200])
def test_wide_results_fit_by_folding_or_one_block_per_row(built_warehouse, width):
    for args in (
        ["query", "select * from marts.dim_report order by report_id"],
        ["metrics"],
        ["status"],
        ["compare", "ghg_scope1", "-y", "2022"],
    ):
        result = run(built_warehouse, *args, width=width)
        assert result.returncode == 0, (args, result.stderr)
        assert lines_fit(result.stdout, width), (args, result.stdout)
    wide = run(built_warehouse, "query", "select * from marts.dim_report order by report_id", width=width)
    # the SHA-256 of SSV 2023 stays findable whole (it may sit on its own line at 80 columns)
    assert "41cdd79003c6ab0f3e8fa55976eb65a63fd24ec137107dfc6a3479853d5c5f75" in re.sub(r"\s", "", wide.stdout)


@pytest.mark.parametrize("width", [20, 40, 60])
def test_a_narrow_terminal_never_cuts_a_figure(built_warehouse, width):
    """Too narrow for the columns that must stay: one block per row, every value whole."""
    result = run(built_warehouse, "show", "ghg_total", width=width)
    assert result.returncode == 0, result.stderr
    flat = re.sub(r"\s", "", result.stdout)
    # SSV 2023 line 3245: total emissions 5,871,780.7 / 5,739,723.7 / 5,793,823.7 t
    assert all(v in flat for v in ("5,871,780.7", "5,739,723.7", "5,793,823.7")), result.stdout
    assert lines_fit(result.stdout, width)
    for args in (["metrics"], ["status"]):
        out = run(built_warehouse, *args, width=width).stdout
        assert lines_fit(out, width) and out.strip(), (args, out)


def test_no_width_is_not_an_empty_output(built_warehouse):
    result = run(built_warehouse, "query", "select 42 as answer", width=0)
    assert result.returncode == 0 and "42" in result.stdout


def test_text_is_printed_as_it_is_not_as_markup(built_warehouse):
    sql = "select 'see [note 3] and [red]alert' as a, '[/x]' as \"[/y]\""
    result = run(built_warehouse, "query", sql, width=200)
    assert result.returncode == 0, result.stderr
    assert "see [note 3] and [red]alert" in result.stdout and "[/x]" in result.stdout and "[/y]" in result.stdout


def test_nested_values_are_json_in_csv_and_the_table(built_warehouse):
    sql = "select [1.5::decimal(4,2), NULL] as l, {'k': [date '2020-01-01'], 'b': true} as s, 0::decimal(18,10) as z"
    as_csv = run(built_warehouse, "query", sql, "-f", "csv")
    row = next(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert json.loads(row["l"]) == [1.5, None] and json.loads(row["s"]) == {"k": ["2020-01-01"], "b": True}
    assert row["z"] == "0.0000000000"
    table = run(built_warehouse, "query", sql, width=200).stdout
    assert "[1.50, null]" in table and '"b": true' in table
