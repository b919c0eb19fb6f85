"""Bad input gives a clear error naming the file and line, and loads nothing from that document."""

from __future__ import annotations

import duckdb
import pytest

from loaders.errors import LoaderError
from loaders.load import parse_bytes

from .conftest import REPORTS, copy_of_build, copy_reports, esgwh, project_env, rehash

SSV23 = "tencent_ssv_2023.zh-Hans.txt"
TEXT = (REPORTS / SSV23).read_text(encoding="utf-8")


@pytest.mark.attack("report text")
def test_empty_file():
    with pytest.raises(LoaderError, match=r"^x\.txt: file is empty"):
        parse_bytes(b"", "x.txt")


@pytest.mark.attack("report text")
def test_binary_garbage_names_the_line():
    data = b"line one\nline two\n\x00\x01\x02\xff garbage"
    with pytest.raises(LoaderError, match=r"^g\.bin:3: binary content"):
        parse_bytes(data, "g.bin")


@pytest.mark.attack("report text")
def test_gbk_copy_names_the_first_bad_line():
    data = TEXT.encode("gbk", errors="replace")
    with pytest.raises(LoaderError) as err:
        parse_bytes(data, "gbk.txt")
    first_non_ascii = next(i for i, line in enumerate(TEXT.splitlines(), start=1) if not line.isascii())
    assert str(err.value).startswith(f"gbk.txt:{first_non_ascii}: not valid UTF-8")
    assert "GBK or Big5" in str(err.value)


@pytest.mark.attack("report text")
def test_big5_copy_is_refused():
    data = (REPORTS / "tencent_esg_2021.zh-Hant.txt").read_text(encoding="utf-8").encode("big5", errors="replace")
    with pytest.raises(LoaderError, match=r"not valid UTF-8"):
        parse_bytes(data, "big5.txt")


@pytest.mark.attack("report text")
def test_table_truncated_mid_row_names_the_line():
    lines = TEXT.splitlines()[:3299]
    lines[-1] = lines[-1][: lines[-1].index("20.5")]  # line 3299: "30至50岁⇥%⇥10.9⇥" cut off
    with pytest.raises(LoaderError) as err:
        parse_bytes("\n".join(lines).encode("utf-8"), SSV23)
    assert str(err.value).startswith(f"{SSV23}:3299:")
    assert "truncated" in str(err.value)


@pytest.mark.attack("report text")
def test_build_refuses_a_bad_report_and_loads_nothing_from_it(tmp_path, built_warehouse):
    project = copy_reports(tmp_path / "project")
    reports = project / "data" / "reports"
    target = copy_of_build(built_warehouse, tmp_path / "warehouse.duckdb")
    env = project_env(project)
    before = target.read_bytes()
    # Re-encode one report as GBK and register its new hash: the manifest is right, the text is not.
    path = reports / SSV23
    path.write_bytes(TEXT.encode("gbk", errors="replace"))
    rehash(project, SSV23)
    result = esgwh("build", "--warehouse", str(target), env=env)
    assert result.returncode == 3
    assert f"{SSV23}:" in result.stderr and "not valid UTF-8" in result.stderr
    assert target.read_bytes() == before
    con = duckdb.connect(str(target), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM raw.documents WHERE report_id = 'tencent_ssv_2023'").fetchone() == (1,)
    finally:
        con.close()
