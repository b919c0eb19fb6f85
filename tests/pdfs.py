"""Small real PDFs for tests, written byte by byte: pages of text placed at given positions
(Helvetica, so pdfminer knows every width), or pages that hold only an image, as a scan does."""

from __future__ import annotations

import zlib

Text = tuple[float, float, str]  # x, y from the bottom left (points), text
Page = list[Text] | None  # None: a page with an image and no text layer


def make_pdf(pages: list[Page], size: float = 9.0) -> bytes:
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pixels = zlib.compress(bytes([200, 200, 200]) * (64 * 64))
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream"
    )
    pages_id = len(objects) + 1 + 2 * len(pages)  # the Pages object comes after every page
    kids = []
    for page in pages:
        if page is None:
            content = b"q 500 0 0 700 50 50 cm /Im1 Do Q"
        else:
            content = b"".join(
                b"BT /F1 %.1f Tf %.2f %.2f Td (%s) Tj ET\n" % (size, x, y, _escape(t)) for x, y, t in page
            )
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                % (pages_id, stream, font, image)
            )
        )
    assert (
        add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
        == pages_id
    )
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def _escape(text: str) -> bytes:
    return text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def table_page(title: str, header: list[str], rows: list[list[str]], top: float = 700) -> list[Text]:
    """A KPI table as a report prints it: a title, a header row, rows 14 pt apart; the label
    column at x 60, value columns right of x 300, 90 pt apart."""
    page: list[Text] = [(60, top, title)]
    y = top - 30
    for row in [header] + rows:
        page.append((60, y, row[0]))
        page += [(300 + 90 * k, y, cell) for k, cell in enumerate(row[1:])]
        y -= 14
    return page


def encrypted(data: bytes, password: str = "secret") -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
