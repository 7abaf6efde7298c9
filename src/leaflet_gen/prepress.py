"""The print-shop edition's prepress finish (PDF/X-4): a printing condition as output intent,
and crop and registration marks in a slug outside the bleed, marked as printer's marks.

The output intent is FOGRA39 (ISO 12647-2:2004, offset on coated paper, the usual European
condition for a leaflet), registered by the ICC, with a CMYK output profile built from FOGRA's
characterization data (``static/icc/README``). The content stays in ICC-based sRGB, which
PDF/X-4 allows: the print shop's RIP converts it to the press's condition.
"""

from __future__ import annotations

from functools import cache

import pydyf

from .project import STATIC_DIR

PROFILE = STATIC_DIR / "icc" / "FOGRA39L-argyll.icc"
CONDITION = "FOGRA39"
CONDITION_INFO = "Offset printing on coated paper, ISO 12647-2:2004/Amd 1 (FOGRA39L data)"
REGISTRY = "http://www.color.org"
MM = 72 / 25.4
SLUG_MM = 10.0  # beyond the bleed: room for marks 3 mm from the trim, 5 mm long
MARK_OFFSET_MM = 3.0  # crop marks start at the bleed edge, never inside it
MARK_LENGTH_MM = 5.0
TARGET_RADIUS_MM = 1.75  # inside the 5 mm band of the marks, its cross-hair the band itself
MARK_WIDTH_PT = 0.25


@cache
def _profile() -> bytes:
    return PROFILE.read_bytes()


def finish(document, pdf: pydyf.PDF) -> None:
    """Replace WeasyPrint's display (sRGB) output intent by the printing condition, and move
    the marks into a slug around each page's bleed box."""
    profile = pydyf.Stream([_profile()], pydyf.Dictionary({"N": 4}), compress=True)
    pdf.add_object(profile)
    pdf.catalog["OutputIntents"] = pydyf.Array(
        [
            pydyf.Dictionary(
                {
                    "Type": "/OutputIntent",
                    "S": "/GTS_PDFX",
                    "OutputConditionIdentifier": pydyf.String(CONDITION),
                    "OutputCondition": pydyf.String(CONDITION_INFO),
                    "RegistryName": pydyf.String(REGISTRY),
                    "Info": pydyf.String(CONDITION_INFO),
                    "DestOutputProfile": profile.reference,
                }
            )
        ]
    )
    for page in pdf.objects:
        if isinstance(page, dict) and page.get("Type") == "/Page" and "TrimBox" in page:
            _add_slug_and_marks(pdf, page)


def _add_slug_and_marks(pdf: pydyf.PDF, page: pydyf.Dictionary) -> None:
    left, top, right, bottom = (float(value) for value in page["MediaBox"])
    slug = SLUG_MM * MM
    page["MediaBox"] = pydyf.Array([left - slug, top - slug, right + slug, bottom + slug])
    stream = pdf.objects[int(page["Contents"].split()[0])]
    # WeasyPrint's content flips the y axis without saving the state: enclose it.
    stream.stream[:0] = [b"q"]
    stream.stream += [b"Q", *_marks([float(value) for value in page["TrimBox"]])]


def _marks(trim: list[float]) -> list[bytes]:
    """Crop marks at the trim box's corners and registration targets centred on each side, in
    registration colour (every plate), as an artifact of type /Page (production aids)."""
    x0, x1 = sorted(trim[0::2])
    y0, y1 = sorted(trim[1::2])
    offset, length, radius = MARK_OFFSET_MM * MM, MARK_LENGTH_MM * MM, TARGET_RADIUS_MM * MM
    lines = []
    for x, sign_x in ((x0, -1), (x1, 1)):
        for y, sign_y in ((y0, -1), (y1, 1)):
            lines.append((x + sign_x * offset, y, x + sign_x * (offset + length), y))
            lines.append((x, y + sign_y * offset, x, y + sign_y * (offset + length)))
    centre, arm = offset + length / 2, length / 2
    targets = [
        ((x0 + x1) / 2, y0 - centre),
        ((x0 + x1) / 2, y1 + centre),
        (x0 - centre, (y0 + y1) / 2),
        (x1 + centre, (y0 + y1) / 2),
    ]
    operations = [b"/Artifact <</Type /Page>> BDC", b"q", b"1 1 1 1 K"]
    operations.append(f"{MARK_WIDTH_PT} w".encode())
    for ax, ay, bx, by in lines:
        operations.append(f"{ax:.2f} {ay:.2f} m {bx:.2f} {by:.2f} l S".encode())
    for cx, cy in targets:
        operations.append(_circle(cx, cy, radius))
        operations.append(
            f"{cx - arm:.2f} {cy:.2f} m {cx + arm:.2f} {cy:.2f} l "
            f"{cx:.2f} {cy - arm:.2f} m {cx:.2f} {cy + arm:.2f} l S".encode()
        )
    return [*operations, b"Q", b"EMC"]


def _circle(cx: float, cy: float, r: float) -> bytes:
    """A circle as four Bézier arcs, stroked."""
    k = 0.5523 * r
    return (
        f"{cx + r:.2f} {cy:.2f} m "
        f"{cx + r:.2f} {cy + k:.2f} {cx + k:.2f} {cy + r:.2f} {cx:.2f} {cy + r:.2f} c "
        f"{cx - k:.2f} {cy + r:.2f} {cx - r:.2f} {cy + k:.2f} {cx - r:.2f} {cy:.2f} c "
        f"{cx - r:.2f} {cy - k:.2f} {cx - k:.2f} {cy - r:.2f} {cx:.2f} {cy - r:.2f} c "
        f"{cx + k:.2f} {cy - r:.2f} {cx + r:.2f} {cy - k:.2f} {cx + r:.2f} {cy:.2f} c S"
    ).encode()
