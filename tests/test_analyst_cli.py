"""The analyst's command line against a real built warehouse."""

from __future__ import annotations

import duckdb

from .conftest import esgwh


def test_metrics_lists_names_units_and_years(built_warehouse):
    result = esgwh("metrics", "--family", "emissions", "--warehouse", str(built_warehouse))
    assert result.returncode == 0, result.stderr
    assert "ghg_total" in result.stdout and "tCO2e" in result.stdout and "2021 2022 2023" in result.stdout


def test_show_prints_the_series_with_like_for_like_flags(built_warehouse):
    result = esgwh("show", "ghg_scope1", "--warehouse", str(built_warehouse), env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "172,137.9" in out and "275,373.5" in out and "18,797.8" in out
    assert "NO" in out and "fugitive" in out  # 2022 vs 2021 is not like for like
    assert "tencent_ssv_2023.zh-Hans.txt:3247" in out
    assert esgwh("show", "no_such_metric", "--warehouse", str(built_warehouse)).returncode == 2


def test_query_is_read_only(built_warehouse):
    result = esgwh(
        "query", "select count(*) as n from marts.dim_report", "-f", "csv", "--warehouse", str(built_warehouse)
    )
    assert result.returncode == 0 and result.stdout.splitlines() == ["n", "5"]
    refused = esgwh("query", "drop table marts.dim_report", "--warehouse", str(built_warehouse))
    assert refused.returncode == 1 and "read-only" in refused.stderr


def test_export_writes_csv_and_parquet_for_every_mart(tmp_path, built_warehouse):
    out = tmp_path / "export"
    result = esgwh("export", "--out", str(out), "--warehouse", str(built_warehouse))
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        for mart in ("fct_reported_values", "fct_metric_values", "mart_yoy_comparison", "mart_metric_wide"):
            expected = con.execute(f"SELECT count(*) FROM marts.{mart}").fetchone()[0]
            assert (
                con.execute(f"SELECT count(*) FROM read_parquet('{out / (mart + '.parquet')}')").fetchone()[0]
                == expected
            )
            assert (
                con.execute(f"SELECT count(*) FROM read_csv_auto('{out / (mart + '.csv')}')").fetchone()[0] == expected
            )
    finally:
        con.close()


def test_commands_say_when_there_is_no_warehouse(tmp_path):
    result = esgwh("metrics", "--warehouse", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2 and "run `esgwh build` first" in result.stderr


def test_docs_writes_the_dbt_docs_site_without_touching_the_warehouse(tmp_path, built_warehouse):
    before = built_warehouse.read_bytes()
    out = tmp_path / "docs"
    result = esgwh("docs", "--out", str(out), "--warehouse", str(built_warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    site = (out / "static_index.html").read_text(encoding="utf-8")
    assert "mart_yoy_comparison" in site and "stg_raw__figures" in site  # lineage from raw to marts
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    assert "source.esgwh.raw.figures" in manifest["child_map"]
    catalog = json.loads((out / "catalog.json").read_text())  # dbt read every model's columns
    assert "model.esgwh.mart_yoy_comparison" in catalog["nodes"]
    assert built_warehouse.read_bytes() == before
