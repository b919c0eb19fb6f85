"""PDF reports as text: one line per printed line, columns kept apart by runs of spaces, a form
feed at each page break, so that the readers (the space-aligned one above all) read a PDF as they
read `pdftotext -layout` output, and every figure keeps its page.

pdfplumber (pdfminer.six) gives each character with its advance width; pypdfium2 was about 8x
faster on the corpus PDFs (before unique_chars took a quadratic step out of the extraction here:
now about 3x) but its character boxes are glyph outlines, so the gaps inside words
vary with the letters and numbers come apart ("478 .4"): a wrong figure is worse than a slow one.

The text is extracted once and kept beside the PDF (`<file>.txt`), with a record of what it was
extracted from and by (`<file>.extraction.json`); a build re-extracts when either no longer fits.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from .errors import LoaderError

# Bump when the rendering changes: reports extracted by an older rendering are extracted again
# and loaded as new document versions.
RENDERING = "layout-1"

POINTS_PER_COLUMN = 3.0  # horizontal resolution: two to three columns per character of 8-9 pt type
WORD_GAP = 0.15  # a gap under this share of the type size is inside a word
SPACE_GAP = 0.6  # under this, one space; wider gaps separate columns (two spaces at least)
WIDE_SPACE = 2.2  # ... as do gaps this many times the line's usual word space
BLOCK_GAP = 1.3  # a vertical gap over this many line heights ends a block (as pdftotext -layout)
SPACING_JUMP = 1.7  # ... and so does one this many times the spacing of the lines before it
FAR_GAP = 3.0  # from this many line heights of gap, one blank line per line height
MAX_BLANKS = 4
SCANNED_CHARS = 20  # a PDF with fewer characters than this on every page has no text layer


# A PDF's text (pages joined by form feeds), its page count and its pages with no text layer.
PdfText = tuple[str, int, tuple[int, ...]]


@dataclass(frozen=True)
class Extraction:
    """What a PDF's text was extracted from and by."""

    pdf_sha256: str
    extractor: str  # e.g. pdfplumber 0.11.10 layout-1
    text_sha256: str
    pages: int
    pages_without_text: tuple[int, ...]

    def to_json(self) -> str:
        return json.dumps(asdict(self) | {"pages_without_text": list(self.pages_without_text)}, indent=1) + "\n"


@lru_cache(maxsize=1)
def extractor_name() -> str:
    from importlib.metadata import version

    return f"pdfplumber {version('pdfplumber')} pdfminer.six {version('pdfminer.six')} {RENDERING}"


def is_pdf(file_name: str) -> bool:
    return file_name.lower().endswith(".pdf")


def text_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.name + ".txt")


def record_path(pdf: Path) -> Path:
    return pdf.with_name(pdf.name + ".extraction.json")


def pdf_text(data: bytes, file_name: str) -> PdfText:
    """The PDF's text (pages joined by form feeds), its page count and its pages with no text.

    Raises LoaderError for what cannot be read: not a PDF, damaged, encrypted, or with no text
    layer (a scan: there is no OCR engine here)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    if not data.startswith(b"%PDF"):
        raise LoaderError(file_name, "is not a PDF (it does not start with %PDF)")
    pages: list[str] = []
    empty: list[int] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                lines = page_lines(page)
                if sum(len(line.replace(" ", "")) for line in lines) < SCANNED_CHARS:
                    empty.append(number)
                pages.append("\n".join(lines))
    except Exception as exc:  # pdfminer raises many kinds on a damaged file: each is the user's file
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, (PDFEncryptionError, PDFPasswordIncorrect)) or "password" in str(cause).lower():
            raise LoaderError(file_name, "is encrypted: open it and save an unprotected copy, then add that") from None
        raise LoaderError(file_name, f"cannot be read as a PDF ({type(cause).__name__}: {cause})") from None
    if not pages:
        raise LoaderError(file_name, "has no pages")
    if len(empty) == len(pages):
        raise LoaderError(
            file_name,
            f"has no text layer on any of its {len(pages)} pages (a scan?): there is no "
            "OCR engine here; add a text rendering of it (.txt, .md or .html) instead",
        )
    return "\n\f".join(pages) + "\n", len(pages), tuple(empty)


def page_lines(page) -> list[str]:
    """One page as lines of text, columns placed by their x position."""
    upright: list[dict] = []
    rotated: list[dict] = []
    for c in unique_chars(page.chars):  # fake bold prints each character twice
        if c["text"].strip():
            (upright if c.get("upright", True) else rotated).append(c)
    rows = _rows(upright)
    out: list[str] = []
    for i, blanks in enumerate(_block_breaks(rows)):
        out += [""] * blanks  # the readers split blocks at blank lines
        out.append(_render(rows[i][2]))
    # Rotated text (a side label): one line per run, after the page, so that nothing is dropped.
    out += _rotated(rotated)
    margin = min((len(line) - len(line.lstrip(" ")) for line in out if line.strip()), default=0)
    return [line[margin:] for line in out]


def unique_chars(chars: list[dict], tolerance: float = 1) -> list[dict]:
    """pdfplumber's `dedupe_chars` (same attributes, same tolerance, same choice and order), put
    back in page order through an index instead of `list.index`, which made it quadratic in the
    characters of a page: most of the extraction time of a dense page."""
    from pdfplumber.utils import cluster_objects

    same = itemgetter("upright", "text", "fontname", "size")
    place = itemgetter("doctop", "x0")
    kept = []
    for _, group in groupby(sorted(chars, key=same), key=same):
        for row in cluster_objects(list(group), itemgetter("doctop"), tolerance):
            for cluster in cluster_objects(row, itemgetter("x0"), tolerance):
                kept.append(min(cluster, key=place))
    order = {id(c): i for i, c in enumerate(chars)}
    return sorted(kept, key=lambda c: order[id(c)])


def _rows(chars: list[dict]) -> list[tuple[float, float, list[dict]]]:
    """Characters grouped into printed lines by vertical overlap, so that a subscript (CO2) or a
    footnote mark stays on the line it belongs to."""
    rows: list[list] = []  # [top, bottom, chars]
    for c in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        height = max(c["bottom"] - c["top"], 0.1)
        for row in reversed(rows[-8:]):
            overlap = min(row[1], c["bottom"]) - max(row[0], c["top"])
            if overlap > 0.5 * min(height, row[1] - row[0]):
                row[2].append(c)
                row[0], row[1] = min(row[0], c["top"]), max(row[1], c["bottom"])
                break
        else:
            rows.append([c["top"], c["bottom"], [c]])
    return [(r[0], r[1], r[2]) for r in sorted(rows, key=lambda r: r[0])]


def _block_breaks(rows: list[tuple[float, float, list[dict]]]) -> list[int]:
    """How many blank lines go before each row. A block ends after a gap of more than a line and a
    third, or after a gap well above the spacing of the lines before it (a table's rows may be a
    line apart, and the section after the table only a little more); the spacing before is the
    wider of the two previous gaps, since a label wrapped onto a second line sits closer to its
    first line than rows do to each other. One blank line keeps a block with the title above it
    (two lines of gap is common there); as pdftotext -layout, a gap of three lines or more gives a
    blank line per line height, up to four, so that no table runs on into the page footer."""
    gaps = [0.0] + [rows[i][0] - rows[i - 1][1] for i in range(1, len(rows))]
    blanks = [0] * len(rows)
    for i in range(1, len(rows)):
        height = max(rows[i][1] - rows[i][0], 0.1)
        before = [g for g in gaps[i - 1 : 0 : -1] if g > 0][:2]
        if gaps[i] > BLOCK_GAP * height or (before and gaps[i] > 0.5 * height and gaps[i] > SPACING_JUMP * max(before)):
            lines = gaps[i] / height
            blanks[i] = 1 if lines < FAR_GAP else min(MAX_BLANKS, int(lines))
    return blanks


def _render(chars: list[dict]) -> str:
    """A printed line as text: characters into words at gaps, words into runs one space apart, and
    runs placed at their x position, at least two spaces apart (the readers split columns there).
    A gap is a run break when it is wide for the type size, or wide for this line's own word
    spacing: a label may end a few points before the number in the next column."""
    words: list[list] = []  # [text, x0, x1, size]
    for c in sorted(chars, key=lambda c: c["x0"]):
        if words and c["x0"] - words[-1][2] < WORD_GAP * max(c["size"], 1.0):
            words[-1][0] += c["text"]
            words[-1][2] = max(words[-1][2], c["x1"])
        else:
            words.append([c["text"], c["x0"], c["x1"], max(c["size"], 1.0)])
    gaps = [b[1] - a[2] for a, b in zip(words, words[1:])]
    spaces = sorted(g for g, w in zip(gaps, words[1:]) if g < SPACE_GAP * w[3])
    usual = spaces[len(spaces) // 2] if spaces else None
    line = ""
    for k, (text, x0, _, size) in enumerate(words):
        if k and not (
            gaps[k - 1] >= SPACE_GAP * size
            or (usual is not None and gaps[k - 1] > WIDE_SPACE * usual and gaps[k - 1] > 0.4 * size)
        ):
            line += " " + text
            continue
        column = round(x0 / POINTS_PER_COLUMN)
        line = (line.ljust(max(column, len(line) + 2)) if line else " " * column) + text
    return line


def _rotated(chars: list[dict]) -> list[str]:
    runs: dict[int, list[dict]] = {}
    for c in chars:
        runs.setdefault(round(c["x0"]), []).append(c)
    return ["".join(c["text"] for c in sorted(cs, key=lambda c: -c["top"])) for _, cs in sorted(runs.items())]


def text_beside(pdf: Path, data: bytes, extracted: PdfText | None = None) -> tuple[Path, bytes, Extraction]:
    """The PDF's text file, extracted now unless the one beside it was extracted from these bytes by
    this extractor and is unchanged since; `extracted` is `pdf_text(data)` when the caller has it."""
    sha = hashlib.sha256(data).hexdigest()
    txt, rec = text_path(pdf), record_path(pdf)
    extractor = extractor_name()
    try:
        kept = json.loads(rec.read_text(encoding="utf-8"))
        text = txt.read_bytes()
        if (kept.get("pdf_sha256"), kept.get("extractor"), kept.get("text_sha256")) == (
            sha,
            extractor,
            hashlib.sha256(text).hexdigest(),
        ):
            return (
                txt,
                text,
                Extraction(
                    sha, extractor, kept["text_sha256"], kept["pages"], tuple(kept.get("pages_without_text", ()))
                ),
            )
    except (OSError, ValueError, KeyError, TypeError):
        pass
    content, pages, empty = extracted or pdf_text(data, pdf.name)
    text = content.encode("utf-8")
    extraction = Extraction(sha, extractor, hashlib.sha256(text).hexdigest(), pages, empty)
    try:
        txt.write_bytes(text)
        rec.write_text(extraction.to_json(), encoding="utf-8")
    except OSError as exc:
        raise LoaderError(pdf.name, f"its text cannot be written beside it ({txt}): {exc.strerror}") from None
    return txt, text, extraction
