"""Every size limit of the inputs in one place, and the helpers that enforce them early.

Each limit is checked before the expensive step it protects (parsing, decoding, layout), so a
small hostile file cannot take gigabytes or minutes. The figures behind them (the sample
project, measured when they were set) leave generous room for real leaflets, logos and
catalogues; README's "Limits and safety" lists them.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import SourceError

KB, MB = 1024, 1024 * 1024

MAX_SOURCE_BYTES = 1 * MB  # a leaflet or exercise file (the seed leaflet: 10 KB)
MAX_CATALOGUE_BYTES = 5 * MB  # a .po or .pot file (largest sample catalogue: 49 KB)
MAX_SVG_BYTES = 2 * MB  # an illustration or logo (drawn figures: 9–17 KB)
MAX_SVG_ELEMENTS = 20_000  # elements, every <use> counted as what it copies (figures: ≤ 130)
MAX_IMAGE_BYTES = 5 * MB  # a PNG or JPEG logo or picture, as a file or a data: URI
MAX_IMAGE_PIXELS = 25_000_000  # width × height: a 6000×4000 camera photo (a logo: ~0.2 MP)
MAX_TITLE_CHARS = 200  # titles, clinic name, phone, e-mail, website (seed: ≤ 55)
MAX_FIELD_CHARS = 1000  # purpose, caution, alt text, address (seed: ≤ 117)
MAX_TABLE_COLUMNS = 5  # wider tables cannot keep 12 pt words whole on an A4 page (seed: 2)
MAX_PDF_DECODED_BYTES = 16 * MB  # `check`: every stream of a PDF decoded (seed: ≤ 0.5 MB)
MAX_PDF_PAGES = 200  # `check`: pages of one PDF (seed: 6–8; a booklet of it: 2–4)
MAX_XLIFF_BYTES = 20 * MB  # an agency's XLIFF file, every domain of a language (seed: ~0.3 MB)
MAX_ID_CHARS = 100  # a leaflet or exercise id, part of output file names (seed: ≤ 31)
MAX_PERSONAL_CHARS = 500  # a handout's patient, therapist and note (typed on the command line)
MAX_GROWTH = 4  # a translation longer than 4× its Danish (+200 characters) is not a translation

# Embedding, override and isolate controls reorder the text around them invisibly ("48"
# printed as "84"); other C0/C1 control characters have no glyph. The directional marks
# (U+200E LRM, U+200F RLM, U+061C ALM) are ordinary punctuation of right-to-left text and stay.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"  # as a regular-expression class
BIDI_MARKS = "\u061c\u200e\u200f"
_BIDI_CONTROLS = re.compile(f"[{BIDI_CONTROLS}]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def size_text(size: int) -> str:
    """``5 MB``, ``512 KB`` or ``900 bytes``."""
    if size >= MB:
        return f"{size / MB:g} MB"
    return f"{size / KB:g} KB" if size >= KB else f"{size} bytes"


def read_bounded(path: Path, limit: int, what: str, error=SourceError) -> bytes:
    """A file's bytes, refused unread when it is larger than ``limit``."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise error(f"{what} is larger than {size_text(limit)} ({size_text(size)})", path)
        return path.read_bytes()[: limit + 1]
    except FileNotFoundError:
        raise error(f"{what} not found", path) from None
    except IsADirectoryError:
        raise error(f"{what} is a folder, not a file", path) from None
    except OSError as exc:
        raise error(f"cannot read {what} ({exc.strerror})", path) from None


def check_length(text: str, limit: int, what: str, where: Path | None) -> str:
    """``text`` unchanged, or an error when it has more than ``limit`` characters."""
    if len(text) > limit:
        raise SourceError(f"{what} is longer than {limit} characters ({len(text)})", where)
    return text


def first_unsafe(text: str) -> tuple[int, str] | None:
    """Where the first bidi control or control character in ``text`` is, and what it is."""
    found = [m for m in (_BIDI_CONTROLS.search(text), _CONTROLS.search(text)) if m]
    if not found:
        return None
    first = min(found, key=lambda match: match.start())
    kind = "bidi control" if _BIDI_CONTROLS.match(first[0]) else "control character"
    return first.start(), f"{kind} U+{ord(first[0]):04X}"


def unsafe_character(text: str) -> str | None:
    """A description of the first bidi control or control character in ``text``, if any."""
    found = first_unsafe(text)
    return found[1] if found else None


def check_characters(text: str, what: str, where: Path | None, error=SourceError) -> str:
    """``text`` unchanged, or an error naming the bidi control or control character in it."""
    problem = unsafe_character(text)
    if problem:
        raise error(f"{what} contains a {problem}, which is not allowed", where)
    return text

