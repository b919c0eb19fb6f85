"""The report manifest: one CSV row per bundled report, with the SHA-256 its text must have."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import langcodes

from .errors import LoaderError, ManifestError

MANIFEST_NAME = "manifest.csv"
COLUMNS = (
    "report_id",
    "company",
    "title",
    "title_original",
    "report_type",
    "publication_date",
    "publication_date_basis",
    "fiscal_year_start",
    "fiscal_year_end",
    "language",
    "file_name",
    "sha256",
)
OPTIONAL = {"fiscal_year_end_month": "12", "company_id": ""}
# The order a manifest is written in (esgwh init, esgwh add): the required columns with the optional ones.
WRITTEN_COLUMNS = (*COLUMNS[:2], "company_id", *COLUMNS[2:-3], "fiscal_year_end_month", *COLUMNS[-3:])
LEGACY = {"script": "language"}  # manifests written before languages were BCP 47 tags
REPORT_TYPES_SEED = Path(__file__).resolve().parent.parent / "seeds" / "report_types.csv"
_REPORT_ID = re.compile(r"^[a-z0-9_]+$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def latin_name(company: str) -> bool:
    """Written in Latin letters (accents aside), with a letter or digit: it makes a company_id."""
    letters = [ch for ch in unicodedata.normalize("NFKD", company) if not unicodedata.combining(ch)]
    return bool(company_slug(company)) and not any(ch.isalpha() and not ch.isascii() for ch in letters)


def company_slug(company: str) -> str:
    """The company_id a manifest row without one gets: its company name with accents folded,
    lower-case, words joined by _ (migration 0006 gives rows loaded before company_id existed the
    same id, accents aside)."""
    folded = unicodedata.normalize("NFKD", company).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


@lru_cache(maxsize=1)
def report_types() -> dict[str, str]:
    """The report types the warehouse knows (seeds/report_types.csv, which dbt also loads)."""
    with REPORT_TYPES_SEED.open(encoding="utf-8", newline="") as fh:
        return {r["report_type"]: r["name"] for r in csv.DictReader(fh)}


def valid_language(tag: str) -> bool:
    """A well-formed, known BCP 47 tag (en, zh-Hans, zh-Hant, th, pt-BR ...)."""
    if not re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", tag):
        return False  # langcodes also reads zh_Hans or en_US; a BCP 47 tag has hyphens
    try:
        return langcodes.tag_is_valid(tag) and langcodes.Language.get(tag).is_valid()
    except (ValueError, LookupError):
        return False


@dataclass(frozen=True)
class ReportEntry:
    report_id: str
    company: str
    title: str
    title_original: str
    report_type: str
    publication_date: dt.date
    publication_date_basis: str
    fiscal_year_start: int
    fiscal_year_end: int
    language: str
    file_name: str
    sha256: str
    path: Path
    manifest_line: int
    fiscal_year_end_month: int = 12
    company_id: str = ""  # stable id of the company across reports and renames

    @property
    def script(self) -> str:
        """The language tag (the manifest column was called script before BCP 47 tags)."""
        return self.language


# What a manifest row says of a report besides its identity, its hash and where its file is: an edit
# of any of these loads the report again as a new document version (load.parser_version_of).
DESCRIPTION_FIELDS = tuple(
    f.name for f in dataclasses.fields(ReportEntry) if f.name not in ("report_id", "sha256", "path", "manifest_line")
)


def read_csv_text(path: Path) -> str:
    """A CSV file's text as spreadsheet tools save it: UTF-8 with or without a byte-order mark.
    Another encoding or a NUL byte is refused with the line it is on."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise ManifestError(
            str(path), "holds a NUL byte: save it as CSV (UTF-8) text", data[: data.index(b"\x00")].count(b"\n") + 1
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(
            str(path),
            f"is not UTF-8 (byte 0x{data[exc.start]:02x}): save it as CSV (UTF-8)",
            data[: exc.start].count(b"\n") + 1,
        ) from None


def read_manifest(data_dir: Path) -> list[ReportEntry]:
    manifest = data_dir / MANIFEST_NAME
    if not manifest.is_file():
        raise ManifestError(str(manifest), "manifest not found")
    reader = csv.DictReader(io.StringIO(read_csv_text(manifest), newline=""))
    try:
        if reader.fieldnames:
            reader.fieldnames = [LEGACY.get(f.strip(), f.strip()) if f else f for f in reader.fieldnames]
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ManifestError(str(manifest), f"missing column(s): {', '.join(missing)}", line=1)
        root = data_dir.resolve()  # once: resolving every row's path was most of reading a long manifest
        entries = [_entry(row, data_dir, root, str(manifest), reader.line_num) for row in reader]
    except csv.Error as exc:
        raise ManifestError(str(manifest), f"not a readable CSV row ({exc})", reader.line_num + 1) from None
    seen: dict[str, int] = {}
    for e in entries:
        for key in (e.report_id, e.file_name, e.sha256):
            if key in seen:
                raise ManifestError(
                    str(manifest), f"{key!r} is listed twice (first on line {seen[key]})", e.manifest_line
                )
            seen[key] = e.manifest_line
    _refuse_shared_names(entries, str(manifest))
    return entries


def _refuse_shared_names(entries: list[ReportEntry], manifest: str) -> None:
    """A registered file that is the text extracted beside a registered PDF would be overwritten by
    the next extraction; two company names under one company_id they did not choose would merge."""
    files = {e.file_name: e for e in entries}
    for e in entries:
        if e.file_name.lower().endswith(".pdf"):
            for sidecar in (e.file_name + ".txt", e.file_name + ".extraction.json"):
                if sidecar in files:
                    raise ManifestError(
                        manifest,
                        f"{sidecar!r} is the text esgwh extracts from {e.file_name} "
                        f"(line {e.manifest_line}): it cannot be a report of its own",
                        files[sidecar].manifest_line,
                    )
    names: dict[str, ReportEntry] = {}
    for e in entries:
        first = names.setdefault(e.company_id, e)
        if (
            first.company.lower() != e.company.lower()
            and e.company_id == company_slug(e.company)
            and first.company_id == company_slug(first.company)
        ):
            raise ManifestError(
                manifest,
                f"companies {first.company!r} (line {first.manifest_line}) and "
                f"{e.company!r} get the same company_id {e.company_id!r} from their names: "
                "give them company_id values (the same one if they are one company)",
                e.manifest_line,
            )


def _entry(row: dict, data_dir: Path, root: Path, manifest: str, line: int) -> ReportEntry:
    def bad(msg: str) -> ManifestError:
        return ManifestError(manifest, msg, line)

    if any(row.get(c) is None for c in COLUMNS) or None in row:
        raise bad("wrong number of fields")
    row = {k: (v or "").strip() for k, v in row.items()}
    for column, default in OPTIONAL.items():
        row[column] = row.get(column) or default
    if not _REPORT_ID.match(row["report_id"]):
        raise bad(f"report_id {row['report_id']!r} must be lower-case letters, digits and _")
    if not row["company_id"] and not latin_name(row["company"]):
        raise bad(
            f"company {row['company']!r} is not written in Latin letters, so it has no default company_id: "
            "add a company_id column to the manifest and give the row one (e.g. tencent)"
        )
    row["company_id"] = row["company_id"] or company_slug(row["company"])
    if not _REPORT_ID.match(row["company_id"]):
        raise bad(f"company_id {row['company_id']!r} must be lower-case letters, digits and _")
    types = report_types()
    if row["report_type"] not in types:
        known = ", ".join(f"{k} ({v})" for k, v in types.items())
        raise bad(
            f"report_type {row['report_type']!r} is not a known report type: {known}. "
            f"Add a row to seeds/report_types.csv for a new kind of report."
        )
    if not valid_language(row["language"]):
        raise bad(f"language {row['language']!r} is not a BCP 47 language tag (en, zh-Hans, zh-Hant, th, ...)")
    try:
        end_month = int(row["fiscal_year_end_month"])
    except ValueError:
        end_month = 0
    if not 1 <= end_month <= 12:
        raise bad(
            f"fiscal_year_end_month {row['fiscal_year_end_month']!r} must be a month number 1-12 "
            "(the month the fiscal year ends: 3 for April-March, 9 for October-September)"
        )
    if not _SHA256.match(row["sha256"]):
        raise bad("sha256 must be 64 lower-case hex digits")
    try:
        published = dt.date.fromisoformat(row["publication_date"])
    except ValueError:
        raise bad(f"publication_date {row['publication_date']!r} is not YYYY-MM-DD") from None
    try:
        fy0, fy1 = int(row["fiscal_year_start"]), int(row["fiscal_year_end"])
    except ValueError:
        raise bad("fiscal_year_start/fiscal_year_end must be years") from None
    if not 1990 <= fy0 <= fy1 <= 2100:
        raise bad(f"fiscal years {fy0}-{fy1} are not a valid range")
    name = row["file_name"]
    if name in ("", ".", "..") or any(c in name for c in "/\\\0"):
        raise bad(f"file_name {name!r} must name a file directly inside {data_dir}")
    path = root / name
    return ReportEntry(
        report_id=row["report_id"],
        company=row["company"],
        title=row["title"],
        title_original=row["title_original"],
        report_type=row["report_type"],
        publication_date=published,
        publication_date_basis=row["publication_date_basis"],
        fiscal_year_start=fy0,
        fiscal_year_end=fy1,
        language=row["language"],
        file_name=row["file_name"],
        sha256=row["sha256"],
        path=path,
        manifest_line=line,
        fiscal_year_end_month=end_month,
        company_id=row["company_id"],
    )


def read_verified_bytes(entry: ReportEntry) -> bytes:
    """The report's bytes, refused unless they hash to the manifest's SHA-256."""
    must_exist(entry)
    data = entry.path.read_bytes()
    _must_match(entry, hashlib.sha256(data).hexdigest())
    return data


def verify_file(entry: ReportEntry) -> None:
    """Refused unless the report's file hashes to the manifest's SHA-256 (read in chunks, not kept)."""
    must_exist(entry)
    with entry.path.open("rb") as fh:
        _must_match(entry, hashlib.file_digest(fh, "sha256").hexdigest())


def must_exist(entry: ReportEntry) -> os.stat_result:
    """The report file's status, refused (naming the manifest line) unless it is a file."""
    try:
        status = entry.path.stat()
    except OSError:
        status = None
    if status is None or not stat.S_ISREG(status.st_mode):
        raise LoaderError(entry.file_name, f"file listed in the manifest (line {entry.manifest_line}) does not exist")
    return status


def _must_match(entry: ReportEntry, actual: str) -> None:
    if actual != entry.sha256:
        raise LoaderError(
            entry.file_name,
            f"content does not match the manifest: SHA-256 is {actual}, manifest line "
            f"{entry.manifest_line} says {entry.sha256}. If the report was deliberately replaced, "
            "update its manifest row.",
        )


RETIRED_NAME = "retired.csv"
RETIRED_COLUMNS = ("report_id", "retired_on", "reason")


@dataclass(frozen=True)
class Retirement:
    report_id: str
    retired_on: dt.date
    reason: str
    line: int


def read_retired(data_dir: Path, entries: list[ReportEntry]) -> list[Retirement]:
    """Reports no longer served (`retired.csv` beside the manifest: report_id, retired_on, reason).
    Optional. A rename of a report id is a retirement plus a new manifest row."""
    path = data_dir / RETIRED_NAME
    if not path.is_file():
        return []
    listed = {e.report_id: e.manifest_line for e in entries}
    out: list[Retirement] = []
    seen: dict[str, int] = {}
    with io.StringIO(read_csv_text(path), newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in RETIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ManifestError(str(path), f"missing column(s): {', '.join(missing)}", line=1)
        for row in reader:
            line = reader.line_num
            row = {k: (v or "").strip() for k, v in row.items() if k}
            rid = row["report_id"]
            if not _REPORT_ID.match(rid):
                raise ManifestError(str(path), f"report_id {rid!r} must be lower-case letters, digits and _", line)
            if rid in listed:
                raise ManifestError(
                    str(path),
                    f"{rid!r} is retired here and still listed in the manifest "
                    f"(line {listed[rid]}): remove one of the two",
                    line,
                )
            if rid in seen:
                raise ManifestError(str(path), f"{rid!r} is retired twice (first on line {seen[rid]})", line)
            seen[rid] = line
            try:
                day = dt.date.fromisoformat(row["retired_on"])
            except ValueError:
                raise ManifestError(str(path), f"retired_on {row['retired_on']!r} is not YYYY-MM-DD", line) from None
            if not row["reason"]:
                raise ManifestError(str(path), "reason is empty: say why the report is no longer served", line)
            out.append(Retirement(rid, day, row["reason"], line))
    return out
