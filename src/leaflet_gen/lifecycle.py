"""The life of one translation: which Danish text it was made for, and who approved it.

Every translated entry carries a *seal* in a translator comment, a form that GNU msgmerge,
Poedit, Weblate and Babel all keep (msgmerge even copies it onto the entries it fuzzy-matches)::

    # leaflet-gen source:1a2b3c4d5e6f translation:6f5e4d3c2b1a
    # leaflet-gen approved:2026-12-01 source:1a2b3c4d5e6f translation:6f5e4d3c2b1a by:Anna Jensen

``source`` fingerprints the Danish text (msgid) and ``translation`` the msgstr at the time
leaflet-gen last wrote the catalogue. A translation that has not changed since its Danish text
changed is *stale*, whichever tool changed the msgid and whoever cleared a fuzzy flag; editing
the translation makes it current again. An approval is valid while both fingerprints match.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from .checks import check_translation

_MARK = "# leaflet-gen "
_SEAL = re.compile(r"^# leaflet-gen source:(\w+) translation:(\w+)\s*$")
_APPROVAL = re.compile(
    r"^# leaflet-gen approved:(\d{4}-\d\d-\d\d) source:(\w+) translation:(\w+) by:(.+?)\s*$"
)

CURRENT, EMPTY, FUZZY, STALE = "current", "empty", "fuzzy", "stale (Danish text changed)"


def fingerprint(strings: tuple[str, ...]) -> str:
    """A short, stable hash of a text (plural forms joined)."""
    return hashlib.sha256("\0".join(strings).encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Approval:
    day: date
    by: str


def source_strings(unit) -> tuple[str, ...]:
    """The Danish text of a PO unit (singular and plural)."""
    return tuple(unit.source.strings) if unit.hasplural() else (unit.source,)


def target_strings(unit) -> tuple[str, ...]:
    """The translation of a PO unit (every plural form)."""
    return tuple(unit.target.strings) if unit.hasplural() else (unit.target or "",)


def _marks(unit) -> list[str]:
    return [c.rstrip("\n") for c in unit.othercomments if c.startswith(_MARK)]


def _seal(unit) -> tuple[str, str] | None:
    for line in _marks(unit):
        if match := _SEAL.match(line):
            return match[1], match[2]
    return None


def state(unit) -> str:
    """current, empty, fuzzy or stale: whether a PO unit's translation may be used."""
    if unit.isfuzzy():
        return FUZZY
    if not all(s.strip() for s in target_strings(unit)):
        return EMPTY
    seal = _seal(unit)
    if seal is None:  # never sealed: typed in an editor for the msgid it stands under
        return CURRENT
    source, translation = seal
    if source != fingerprint(source_strings(unit)) and translation == fingerprint(
        target_strings(unit)
    ):
        return STALE
    return CURRENT


def problems(unit, lang: str) -> list[str]:
    """What the translation checks find in a PO unit's translation (see :mod:`.checks`)."""
    return check_translation(
        source_strings(unit), target_strings(unit), lang, unit.hastypecomment("python-format")
    )


def seal(unit) -> bool:
    """Record that a current translation is made for its Danish text; True when it changed."""
    if unit.isobsolete() or state(unit) != CURRENT:
        return False
    line = (
        f"{_MARK}source:{fingerprint(source_strings(unit))} "
        f"translation:{fingerprint(target_strings(unit))}"
    )
    if f"{line}\n" in unit.othercomments:
        return False
    _replace_mark(unit, _SEAL, line)
    return True


def approval(unit) -> Approval | None:
    """The reviewer's approval of this very translation of this very Danish text, if any."""
    if state(unit) != CURRENT:
        return None
    source = fingerprint(source_strings(unit))
    translation = fingerprint(target_strings(unit))
    for line in _marks(unit):
        match = _APPROVAL.match(line)
        if match and match[2] == source and match[3] == translation:
            return Approval(date.fromisoformat(match[1]), match[4])
    return None


def approve(unit, by: str, day: date) -> bool:
    """Record a reviewer's approval of a current translation; True when it changed."""
    if state(unit) != CURRENT or approval(unit) is not None:
        return False
    seal(unit)
    line = (
        f"{_MARK}approved:{day.isoformat()} source:{fingerprint(source_strings(unit))} "
        f"translation:{fingerprint(target_strings(unit))} by:{by}"
    )
    _replace_mark(unit, _APPROVAL, line)
    return True


def _replace_mark(unit, pattern: re.Pattern, line: str) -> None:
    kept = [c for c in unit.othercomments if not pattern.match(c.rstrip("\n"))]
    unit.othercomments = [*kept, f"{line}\n"]
