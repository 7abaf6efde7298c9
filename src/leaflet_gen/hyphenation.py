"""Hyphenation patterns, parsed once per machine.

WeasyPrint hyphenates with pyphen, which parses a language's ``.dic`` pattern file in pure
Python the first time a process needs it: 0.6 s for German, 0.1 s for English. The parsed
patterns are kept in the cache folder as JSON (data, never code) and handed to pyphen's own
cache before rendering.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .fonts import cache_root, keep_in_cache


def preload(lang: str) -> None:
    """Put the parsed patterns of ``lang`` (if pyphen has any) into pyphen's cache."""
    import pyphen

    fallback = pyphen.language_fallback(lang)
    if not fallback:
        return
    source = pyphen.LANGUAGES[fallback]
    if source in pyphen.hdcache:
        return
    stored = _stored_path(source)
    patterns = _read(stored)
    if patterns is None:
        parsed = pyphen.HyphDict(source)
        pyphen.hdcache[source] = parsed
        _store(parsed.patterns, stored)
        return
    loaded = object.__new__(pyphen.HyphDict)  # what HyphDict.__init__ would have set
    loaded.patterns, loaded.cache = patterns, {}
    loaded.maxlen = max(len(key) for key in patterns)
    pyphen.hdcache[source] = loaded


def _stored_path(source: Path) -> Path:
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()[:16]
    return cache_root() / "hyphenation" / f"{source.stem}-{digest}.json"


def _read(path: Path) -> dict[str, list] | None:
    """Stored patterns, ``{letters: [start, [values…]]}``; pyphen only unpacks and maps them."""
    try:
        patterns = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return patterns if isinstance(patterns, dict) and patterns else None


def _store(patterns: dict, path: Path) -> None:
    """Keep plain patterns only: nonstandard hyphenation (``ff=f``) objects stay unstored."""
    plain = all(type(v) is int for _, values in patterns.values() for v in values)
    if plain:
        keep_in_cache(json.dumps(patterns, ensure_ascii=False).encode(), path)
