"""`esgwh add`: a report file into the workspace, with its manifest row.

The file is copied into the workspace's reports folder, hashed and registered; a PDF's text is
extracted now (a scan or an encrypted PDF is refused before anything is written). What the row
needs and the user did not give is inferred where the file says it (language from the script,
title and publication date from PDF metadata, report type from words of the title or file name)
and asked for where it does not. The manifest is written whole and read back through the same
validation a build applies; on any refusal the workspace is left as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from loaders.errors import LoaderError, ManifestError
from loaders.manifest import (
    WRITTEN_COLUMNS,
    company_slug,
    latin_name,
    read_csv_text,
    read_manifest,
    report_types,
    valid_language,
)
from loaders.pdf import PdfText, is_pdf, pdf_text, record_path, text_beside, text_path
from loaders.prose import without_markup
from loaders.text import decode_text

from .workspace import Workspace

SUFFIXES = (".pdf", ".txt", ".md", ".markdown", ".html", ".htm")
# Words of a title or file name that name a report type of seeds/report_types.csv, most specific first.
TYPE_WORDS = (
    ("BRSR", r"\bbrsr\b|business responsibility"),
    ("CDP", r"\bcdp\b"),
    ("SSV", r"sustainable social value|可持续社会价值"),
    ("CCR", r"\bclimate|\btcfd\b|气候"),
    ("ESG", r"\besg\b|environmental,? social and governance|环境、社会及管治"),
    ("CSR", r"\bcsr\b|corporate social responsibility|社会责任"),
    ("IR", r"\bintegrated report"),
    ("SR", r"\bsr\b|\bsustainability\b|可持续发展"),
    ("AR", r"\bannual report|年报"),
)


@dataclass
class AddOptions:
    company: str
    fiscal_years: str  # 2023, or 2021-2023
    published: str | None = None  # YYYY-MM-DD
    report_id: str | None = None
    report_type: str | None = None
    language: str | None = None
    title: str | None = None
    title_original: str | None = None
    fiscal_year_end_month: int = 12
    company_id: str | None = None


@dataclass
class Added:
    row: dict
    inferred: list[str]  # which fields were inferred, and from what
    pages: int | None = None
    pages_without_text: tuple[int, ...] = ()


def add_report(ws: Workspace, source: Path, opts: AddOptions) -> Added:
    """Register `source` in the workspace. Raises LoaderError (naming the file) for what is wrong."""
    name = source.name
    if not source.is_file():
        raise LoaderError(str(source), "no such file")
    if not name.lower().endswith(SUFFIXES):
        raise LoaderError(name, f"is not a report esgwh reads: a report is one of {', '.join(SUFFIXES)}")
    if name.lower().endswith((".pdf.txt", ".pdf.extraction.json")):
        raise LoaderError(
            name,
            "is the name of the text esgwh extracts from a PDF and keeps beside it: add the "
            "PDF itself, or rename this file",
        )
    data = source.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    entries = read_manifest(ws.reports)
    registered = {e.file_name: e for e in entries}
    if is_pdf(name):
        for sidecar in (text_path(ws.reports / name).name, record_path(ws.reports / name).name):
            if sidecar in registered:
                raise LoaderError(
                    name,
                    f"its extracted text would be written to {sidecar}, which is registered as "
                    f"report {registered[sidecar].report_id!r}: rename the PDF",
                )
    retired = _retired_ids(ws, entries)
    for e in entries:
        if e.sha256 == sha:
            raise LoaderError(
                name,
                f"this content is already registered as report {e.report_id!r} "
                f"({e.file_name}, manifest line {e.manifest_line})",
            )
    inferred: list[str] = []
    start, end = _fiscal_years(opts.fiscal_years)
    pages, meta = None, {}
    empty: tuple[int, ...] = ()
    extracted: PdfText | None = None
    if is_pdf(name):
        extracted = pdf_text(data, name)  # a scan or an encrypted PDF stops here
        text, pages, empty = extracted
        meta = _pdf_metadata(data)
    else:
        text = decode_text(data, name)
    title = opts.title or meta.get("title") or _first_line(text)
    if not opts.title:
        inferred.append(f"title {title!r} (from the {'PDF metadata' if meta.get('title') else 'first line'})")
    report_type = (opts.report_type or "").strip().upper() or _report_type(f"{title} {name}")
    if report_type is None:
        raise LoaderError(
            name,
            "its report type cannot be told from its title or file name: pass --type, one of "
            + ", ".join(sorted(report_types())),
        )
    if report_type not in report_types():
        raise LoaderError(
            name,
            f"unknown report type {report_type!r}: one of {', '.join(sorted(report_types()))} (seeds/report_types.csv)",
        )
    if not opts.report_type:
        inferred.append(f"type {report_type} (from words of the title or file name)")
    language = opts.language or _language(text)
    if language is None:
        raise LoaderError(
            name,
            "its language cannot be told from its text: pass --language (a BCP 47 tag: en, zh-Hans, zh-Hant, th, ...)",
        )
    if not valid_language(language):
        raise LoaderError(name, f"{language!r} is not a BCP 47 language tag (en, zh-Hans, zh-Hant, pt-BR, ...)")
    if not opts.language:
        inferred.append(f"language {language} (from the script of its text)")
    published, basis = _published(opts.published, meta, name)
    if not opts.published:
        inferred.append(f"publication date {published} ({basis})")
    report_id = opts.report_id or _report_id(opts.company, report_type, end)
    taken = {e.report_id: e for e in entries}
    if report_id in retired:
        raise LoaderError(
            name,
            f"report id {report_id!r} is retired in retired.csv (an id is never reused, so "
            "that no figure of the old report is read as this one's): pass another --id",
        )
    if report_id in taken:
        raise LoaderError(
            name,
            f"report id {report_id!r} is taken by {taken[report_id].file_name} "
            f"(manifest line {taken[report_id].manifest_line}): pass --id",
        )
    company_id = (
        opts.company_id
        or next((e.company_id for e in entries if e.company.lower() == opts.company.strip().lower()), None)
        or _default_company_id(opts.company, name)
    )
    others = sorted(
        {e.company for e in entries if e.company_id == company_id and e.company.lower() != opts.company.strip().lower()}
    )
    if others and not opts.company_id:
        raise LoaderError(
            name,
            f"company id {company_id!r} is already the id of {others[0]!r}: pass --company-id "
            f"({company_id} if it is the same company under another name, else a new id)",
        )
    if not opts.company_id:
        inferred.append(
            f"company id {company_id} (from {'the rows already registered' if any(e.company_id == company_id for e in entries) else 'the company name'})"
        )
    row = {
        "report_id": report_id,
        "company": opts.company.strip(),
        "company_id": company_id,
        "title": title,
        "title_original": opts.title_original or title,
        "report_type": report_type,
        "publication_date": published,
        "publication_date_basis": basis,
        "fiscal_year_start": str(start),
        "fiscal_year_end": str(end),
        "fiscal_year_end_month": str(opts.fiscal_year_end_month),
        "language": language,
        "file_name": name,
        "sha256": sha,
    }
    _write(ws, source, data, row, extracted)
    return Added(row, inferred, pages, tuple(empty))


def _write(ws: Workspace, source: Path, data: bytes, row: dict, extracted: PdfText | None) -> None:
    """Copy the file in and append its row; undo both if the manifest does not read back."""
    dest = ws.reports / row["file_name"]
    if dest.exists() and dest.read_bytes() != data:
        raise LoaderError(row["file_name"], f"another file of this name is already in {ws.reports}: rename one")
    if not os.access(ws.manifest, os.W_OK):
        raise LoaderError(str(ws.manifest), "cannot be written (read-only): nothing was copied")
    old = ws.manifest.read_bytes()
    sidecars = [p for p in (text_path(dest), record_path(dest)) if is_pdf(dest.name) and not p.exists()]
    rows = list(csv.DictReader(io.StringIO(read_csv_text(ws.manifest), newline="")))
    header = list(dict.fromkeys([*(rows[0].keys() if rows else WRITTEN_COLUMNS), *WRITTEN_COLUMNS]))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for r in rows + [row]:
        writer.writerow({c: r.get(c) or "" for c in header})
    copied = not dest.exists()
    try:
        if copied:
            shutil.copyfile(source, dest)
        if is_pdf(dest.name):
            text_beside(dest, data, extracted)
        ws.manifest.write_text(buffer.getvalue(), encoding="utf-8")
        read_manifest(ws.reports)
    except (LoaderError, OSError) as exc:
        try:
            ws.manifest.write_bytes(old)
            for path in ([dest] if copied else []) + sidecars:  # only what this add wrote
                path.unlink(missing_ok=True)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise LoaderError(row["file_name"], f"cannot be added to {ws.reports}: {exc.strerror}") from None
        raise


def _retired_ids(ws: Workspace, entries) -> set[str]:
    from loaders.manifest import read_retired

    return {r.report_id for r in read_retired(ws.reports, entries)}


def _default_company_id(company: str, name: str) -> str:
    """The company name lower-case, words joined by _ (accents folded); a name in another script
    has no such id: the user gives one."""
    if not latin_name(company):
        raise LoaderError(
            name,
            f"company {company!r} is not written in Latin letters, so it has no default id: "
            "pass --company-id (lower-case letters, digits and _, e.g. tencent)",
        )
    return company_slug(company)


def _fiscal_years(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*", text or "")
    if not m:
        raise ManifestError("--fiscal-years", f"{text!r} is not a year or a range of years (2023, 2021-2023)")
    start, end = int(m.group(1)), int(m.group(2) or m.group(1))
    if not 1990 <= start <= end <= 2100:
        raise ManifestError("--fiscal-years", f"{text!r} is not a valid range of fiscal years")
    return start, end


def _first_line(text: str) -> str:
    for line in text.splitlines():
        words = re.sub(r"[#*_|`>]", " ", without_markup(line.replace("\f", " ")))
        words = " ".join(words.split())
        if len(words) >= 3:
            return words[:200]
    return "untitled"


def _report_type(words: str) -> str | None:
    low = words.lower().replace("_", " ").replace("-", " ")
    return next((code for code, pattern in TYPE_WORDS if re.search(pattern, low)), None)


def _language(text: str) -> str | None:
    """zh-Hans or zh-Hant when the text is mostly Chinese (told apart by OpenCC), en when it is
    mostly English words; otherwise the user is asked."""
    han = re.findall(r"[\u4e00-\u9fff]", text)
    latin = re.findall(r"[A-Za-z]+", text)
    if len(han) > sum(map(len, latin)):
        from loaders.normalise import to_zh_hans

        sample = "".join(han[:20000])
        changed = sum(a != b for a, b in zip(sample, to_zh_hans(sample)))
        return "zh-Hant" if changed > 0.02 * len(sample) else "zh-Hans"
    common = sum(1 for w in latin[:20000] if w.lower() in {"the", "and", "of", "to", "in", "for", "our", "is"})
    return "en" if latin and common > 0.05 * min(len(latin), 20000) else None


def _published(given: str | None, meta: dict, name: str) -> tuple[str, str]:
    if given:
        try:
            day = dt.date.fromisoformat(given)
        except ValueError:
            raise ManifestError("--published", f"{given!r} is not a date (YYYY-MM-DD)") from None
        # The date decides which report's figure is the newest statement of a year: a slip of the
        # keyboard (0001-01-01, 2099-12-31) would silently decide it.
        if not dt.date(1990, 1, 1) <= day <= dt.date.today() + dt.timedelta(days=366):
            raise ManifestError(
                "--published", f"{given} is not a plausible publication date (from 1990 to a year from today)"
            )
        return day.isoformat(), "given to esgwh add"
    if meta.get("created"):
        return meta["created"], "creation date in the PDF's metadata"
    raise LoaderError(
        name,
        "its publication date is not in the file: pass --published YYYY-MM-DD (the date "
        "decides which report's figure is the newest statement of a year)",
    )


def _pdf_metadata(data: bytes) -> dict:
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            info = pdf.metadata or {}
    except Exception:  # the text was read; metadata is only a help
        return {}
    out = {}
    title = info.get("Title")
    if isinstance(title, str) and len(title.strip()) >= 3:
        out["title"] = " ".join(title.split())[:200]
    created = info.get("CreationDate")
    m = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", created) if isinstance(created, str) else None
    if m:
        try:
            out["created"] = dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            pass
    return out


def _report_id(company: str, report_type: str, year: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", company.lower()).strip("_")
    words = [w for w in slug.split("_") if w not in {"ltd", "limited", "inc", "plc", "pcl", "co", "corp", "the"}]
    return f"{'_'.join(words[:3]) or 'report'}_{report_type.lower()}_{year}"
