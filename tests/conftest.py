"""Shared fixtures: real warehouse builds with the real esgwh command, in temporary folders."""

from __future__ import annotations

import csv
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from esgwh.project import PROJECT_COPY_PARTS

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "data" / "reports"
EXPECTED = ROOT / "tests" / "expected" / "figures.csv"

# What a project copy needs to build, with the bundled reports (no .git, no build leftovers).
PROJECT_FILES = [*PROJECT_COPY_PARTS, "data"]


def esgwh(
    *args: str, env: dict | None = None, cwd: Path | None = None, timeout: int = 300
) -> subprocess.CompletedProcess:
    """Run the real esgwh command in a child process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "esgwh", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=timeout,
    )


def copy_project(dest: Path) -> Path:
    """A private copy of the project (for tests that change reports, manifest or seeds)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def copy_reports(dest: Path) -> Path:
    """A workspace laid out as the repository (esgwh.toml, the bundled reports in data/reports) but
    without a dbt project of its own: its builds run the package's project and reuse its dbt parse
    (a project copy is parsed in full, several seconds a build). For tests that change reports or
    the manifest; a test that changes seeds, models or macros takes copy_project."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "esgwh.toml", dest / "esgwh.toml")
    shutil.copytree(ROOT / "data" / "reports", dest / "data" / "reports")
    return dest


def project_env(project: Path) -> dict[str, str]:
    """How a build is pointed at a copy: a project copy by ESGWH_PROJECT_DIR (its dbt project too),
    a reports copy (copy_reports) as the workspace, with the package's dbt project."""
    if (project / "dbt_project.yml").exists():
        return {"ESGWH_PROJECT_DIR": str(project)}
    return {"ESGWH_WORKSPACE": str(project), "ESGWH_PROJECT_DIR": ""}


def add_report(
    project: Path,
    report_id: str,
    company: str,
    file_name: str,
    body: str,
    fiscal_years: tuple[int, int] = (2022, 2023),
    language: str = "en",
    title: str = "Sustainability Report 2023",
    report_type: str = "SR",
    published: str = "2024-03-01",
) -> None:
    """A made-up report written into a project or reports copy and registered in its manifest, hash included."""
    reports = project / "data" / "reports"
    (reports / file_name).write_text(body, encoding="utf-8")
    with (reports / "manifest.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            [
                report_id,
                company,
                title,
                title,
                report_type,
                published,
                "cover",
                *fiscal_years,
                language,
                file_name,
                hashlib.sha256(body.encode("utf-8")).hexdigest(),
            ]
        )


def rehash(project: Path, file_name: str) -> None:
    """Register a changed report's new SHA-256 in a copy's manifest (the edit is deliberate)."""
    reports = project / "data" / "reports"
    new_hash = hashlib.sha256((reports / file_name).read_bytes()).hexdigest()
    manifest = reports / "manifest.csv"
    manifest.write_text(
        "\n".join(
            (line.rsplit(",", 1)[0] + "," + new_hash) if f",{file_name}," in line else line
            for line in manifest.read_text(encoding="utf-8").splitlines()
        )
        + "\n",
        encoding="utf-8",
    )


def build(project: Path, warehouse: Path) -> subprocess.CompletedProcess:
    """The real `esgwh build` of a project or reports copy into `warehouse`."""
    return esgwh("build", "--warehouse", str(warehouse), cwd=project, timeout=900, env=project_env(project))


def load_expected(report_file: str | None = None, extraction: str | None = None) -> list[dict]:
    with EXPECTED.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        r
        for r in rows
        if (report_file is None or r["report_file"] == report_file)
        and (extraction is None or r["extraction"] == extraction)
    ]


def shared_folder(tmp_path_factory, name: str, make) -> Path:
    """A folder `make(folder)` fills once per test run, whichever pytest-xdist worker asks first
    (the others wait on a lock, then read it): a real build shared by tests that only read it."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's folder, above each worker's own
    folder = base / name
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        failed = base / f"{name}.failed"
        if failed.exists():  # another worker tried: one failed build per run, not one per worker
            pytest.fail(f"the shared {name} folder could not be made: {failed.read_text(encoding='utf-8')}")
        if not (folder / ".complete").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                make(folder)
            except BaseException as exc:
                failed.write_text(str(exc)[-4000:], encoding="utf-8")
                raise
            (folder / ".complete").touch()
    return folder


def _build_bundled(folder: Path) -> None:
    """Built as a user would without a workspace at hand: from a folder that is none, naming the
    workspace (the repository root) and the warehouse through the environment."""
    elsewhere = folder / "elsewhere"
    elsewhere.mkdir()
    result = esgwh(
        "build",
        env={"ESGWH_WAREHOUSE": str(folder / "warehouse.duckdb"), "ESGWH_WORKSPACE": str(ROOT)},
        cwd=elsewhere,
        timeout=900,
    )
    (folder / "build.out").write_text(result.stdout, encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> Path:
    """One real build of the bundled reports, shared by read-only tests (folder: build.out holds
    the build's output)."""
    return shared_folder(tmp_path_factory, "built", _build_bundled) / "warehouse.duckdb"


def copy_of_build(built: Path, dest: Path) -> Path:
    """A private live warehouse holding the shared build (as a plain file, where a build of its own
    would have left a link to its release: the next build publishes over it all the same), for
    tests that change reports or seeds and build again."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(built.resolve(), dest)
    return dest


# --- reliability tallies: printed as one summary line at the end of the run -----------------------

RELIABILITY = {"inputs tried": 0, "faults injected": 0, "wrong figures": 0, "rows lost": 0}


# The adversarial suite, by attack class: a test marked @pytest.mark.attack("<class>") (or a module
# with pytestmark) is one case of that class; the summary line says how many held.
ATTACK_CLASSES = (
    "manifest",
    "report text",
    "numbers",
    "file system",
    "processes and locks",
    "query sandbox",
    "postgresql roles",
)
ATTACKS: dict[str, list[int]] = {}  # class -> [tried, held, known limits]
# Under pytest-xdist the tests run in worker processes: an attack's class travels with its reports
# (user_properties), and each worker hands its RELIABILITY counts back when it stops.
IN_WORKER = bool(os.environ.get("PYTEST_XDIST_WORKER"))


# Test tiers, one list: `pytest -m "not slow"` is the development loop (well under a minute).
# unit: pure parsing; integration: real DuckDB files and Alembic, no dbt; slow: everything that
# runs a dbt build, a browser, PostgreSQL or Spark. A module not listed is slow, and so is any test
# of a listed module that uses a fixture that builds.
UNIT_MODULES = {
    "test_adversarial_readers",
    "test_line_numbers",
    "test_parse_output_pinned",
    "test_prose_safety",
    "test_properties",
    "test_parser_variants",
    "test_expected_figures",
    "test_kpi_table_ssv2023",
    "test_renderings",
    "test_corpus_reports",
    "test_undated_tables",
    "test_squashed_splits",
    "test_vocabulary",
}
INTEGRATION_MODULES = {"test_migrations", "test_manifest", "test_coverage", "test_raw_schema", "test_load_batches"}
BUILDING_FIXTURES = {"built_warehouse", "corpus_build", "undated_build", "rendered_warehouse"}


def _tier(item) -> str:
    module = _module(item)
    if BUILDING_FIXTURES & set(item.fixturenames):
        return "slow"
    return "unit" if module in UNIT_MODULES else "integration" if module in INTEGRATION_MODULES else "slow"


def pytest_configure(config):
    config.addinivalue_line("markers", "attack(cls): an adversarial case of attack class cls")
    config.addinivalue_line("markers", "unit: pure parsing, no database")
    config.addinivalue_line("markers", "integration: real DuckDB files and Alembic migrations, no dbt build")
    config.addinivalue_line("markers", "slow: a dbt build, a browser, PostgreSQL or Spark")


# The longest modules first (from `pytest --durations=0`): pytest-xdist hands whole modules out in
# collection order (--no-loadscope-reorder in pyproject), so a run does not end on one long module
# while the other workers idle. A module not listed comes after these, in file order.
LONGEST_FIRST = [
    "test_spark",
    "test_pdf_reports",
    "test_postgres",
    "test_pdf_workspaces",
    "test_bi",
    "test_build",
    "test_corpus_reports",
    "test_reliability",
    "test_retired_reports",
    "test_schedule",
    "test_undated_tables",
    "test_renderings",
    "test_report",
    "test_reconciliation",
    "test_example_warehouse",
    "test_analyst_cli",
]


def _module(item) -> str:
    return item.module.__name__.rsplit(".", 1)[-1]


def pytest_collection_modifyitems(config, items):
    rank = {m: i for i, m in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(_module(item), len(rank)))  # stable: file order otherwise
    for item in items:
        item.add_marker(_tier(item))
        mark = item.get_closest_marker("attack")
        if mark is not None:
            assert mark.args[0] in ATTACK_CLASSES, mark.args
            item.user_properties.append(("attack", mark.args[0]))


def pytest_runtest_logreport(report):
    cls = dict(report.user_properties).get("attack")
    if IN_WORKER or cls is None or report.when != "call" and not (report.when == "setup" and report.skipped):
        return
    tally = ATTACKS.setdefault(cls, [0, 0, 0])
    tally[0] += 1
    if hasattr(report, "wasxfail"):
        tally[2] += 1
    elif report.passed:
        tally[1] += 1


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # a pytest-xdist worker
        session.config.workeroutput["reliability"] = dict(RELIABILITY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    for key, value in getattr(node, "workeroutput", {}).get("reliability", {}).items():
        RELIABILITY[key] += value


def pytest_terminal_summary(terminalreporter):
    if RELIABILITY["inputs tried"] or RELIABILITY["faults injected"] or ATTACKS:
        counts = dict(RELIABILITY)
        counts["attacks tried"] = sum(t for t, _, _ in ATTACKS.values())
        counts["attacks held"] = sum(h for _, h, _ in ATTACKS.values())
        terminalreporter.write_line("reliability: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if ATTACKS:
        terminalreporter.write_line(
            "adversarial: "
            + "; ".join(
                f"{cls} {held} of {tried} held" + (f" ({known} known limit)" if known else "")
                for cls in ATTACK_CLASSES
                if cls in ATTACKS
                for tried, held, known in [ATTACKS[cls]]
            )
        )


def system_binary(binary: str, package: str) -> str:
    """The path of `binary` (a system service or browser the tests drive for real). Missing: the
    test is skipped with the reason, except in CI (CI=true), where .ci/run installs the package
    and a missing one fails."""
    found = shutil.which(binary)
    if found:
        return found
    why = f"{binary} is missing: apt-get install -y {package} (.ci/run does)"
    if os.environ.get("CI") == "true":
        pytest.fail(why)
    pytest.skip(why)
