"""Patient-supplied text (names, notes): printed literally, never interpreted."""

from __future__ import annotations

import re
import unicodedata

from .errors import UsageError
from .limits import BIDI_CONTROLS, BIDI_MARKS, MAX_PERSONAL_CHARS

# Embedding, override and isolate controls, and the directional marks: invisible characters
# that would reorder the text around them. Markup needs no handling here: the templates
# escape every value, so "<b>x</b>" prints as those seven characters.
_BIDI_CONTROLS = re.compile(f"[{BIDI_MARKS}{BIDI_CONTROLS}]")


def literal_text(value: str, option: str) -> str:
    """A name or note as typed, less bidi controls and other invisible control characters."""
    cleaned = _BIDI_CONTROLS.sub("", value)
    cleaned = "".join(c for c in cleaned if unicodedata.category(c) != "Cc" or c in "\t")
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        raise UsageError(f"{option} is empty")
    if len(cleaned) > MAX_PERSONAL_CHARS:
        raise UsageError(f"{option} is longer than {MAX_PERSONAL_CHARS} characters")
    return cleaned
