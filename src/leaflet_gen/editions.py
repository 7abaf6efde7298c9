"""Editions of one document: screen (tagged PDF/UA-1), print shop (bleed, PDF/X-4), A5 booklet."""

from __future__ import annotations

import io

from .errors import LeafletError, UsageError

EDITIONS = ("screen", "print-shop", "booklet")
BOOKLET_MAX_PAGES = 24
A4_LANDSCAPE = (841.89, 595.28)


def check_edition(edition: str, output_format: str) -> None:
    """Refuse unknown editions and contradicting options."""
    if edition not in EDITIONS:
        raise LeafletError(f"unknown edition '{edition}' (choose {', '.join(EDITIONS)})")
    if edition == "booklet" and output_format != "pdf":
        raise UsageError("--edition booklet is imposed for printing and needs --format pdf")


def pdf_options(edition: str) -> dict:
    """WeasyPrint options of an edition."""
    if edition == "screen":
        return {"pdf_variant": "pdf/ua-1"}
    if edition == "print-shop":
        return {"pdf_variant": "pdf/x-4", "output_intent": "srgb"}
    return {}


def padding_needed(pages: int) -> int:
    """Notes pages that bring a booklet to a multiple of four pages."""
    if pages > BOOKLET_MAX_PAGES:
        raise LeafletError(
            f"{pages} A5 pages do not make a sensible saddle-stitched booklet "
            f"(at most {BOOKLET_MAX_PAGES}); print it as A4 instead"
        )
    return -pages % 4


def saddle_stitch_order(pages: int, right_to_left: bool = False) -> list[tuple[int, int]]:
    """(left, right) page indices of each sheet side, front and back, for folding in half."""
    sides = []
    for sheet in range(pages // 4):
        outer_low, outer_high = 2 * sheet, pages - 1 - 2 * sheet
        sides.append((outer_high, outer_low))
        sides.append((outer_low + 1, outer_high - 1))
    if right_to_left:
        sides = [(right, left) for left, right in sides]
    return sides


def impose(pdf: bytes, right_to_left: bool = False) -> bytes:
    """A5 pages two-up on A4 landscape sheets, in saddle-stitch order, for duplex printing."""
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation  # only booklets need it
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    width, height = A4_LANDSCAPE
    for left, right in saddle_stitch_order(len(reader.pages), right_to_left):
        sheet = PageObject.create_blank_page(width=width, height=height)
        for index, offset in ((left, 0), (right, width / 2)):
            sheet.merge_transformed_page(
                reader.pages[index], Transformation().translate(tx=offset, ty=0)
            )
        writer.add_page(sheet).compress_content_streams()  # merging leaves them inflated
    writer.pdf_header = reader.pdf_header
    if reader.metadata:
        writer.add_metadata({k: v for k, v in reader.metadata.items() if isinstance(v, str)})
    if "/Lang" in reader.trailer["/Root"]:
        writer._root_object[NameObject("/Lang")] = reader.trailer["/Root"]["/Lang"]
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
