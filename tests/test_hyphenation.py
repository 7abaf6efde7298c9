"""Hyphenation patterns read back from the per-machine cache hyphenate exactly like pyphen's."""

from __future__ import annotations

import re
from pathlib import Path

import pyphen
import pytest
from conftest import LEAFLET_ID, REPO

from leaflet_gen import hyphenation


@pytest.mark.parametrize("lang", ["de", "en", "pl", "uk", "da"])
def test_stored_patterns_hyphenate_like_pyphen(lang: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("LEAFLET_GEN_CACHE", str(tmp_path))
    source = pyphen.LANGUAGES[pyphen.language_fallback(lang)]
    catalogue = REPO / "locales" / lang / "LC_MESSAGES" / f"{LEAFLET_ID}.po"
    if lang == "da":
        catalogue = REPO / "leaflets" / f"{LEAFLET_ID}.md"
    words = set(re.findall(r"\w{6,}", catalogue.read_text(encoding="utf-8")))
    parsed = pyphen.HyphDict(source)
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenation.preload(lang)  # parses, and stores
    assert list((tmp_path / "hyphenation").glob("*.json"))
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenation.preload(lang)  # reads the stored patterns
    stored = pyphen.hdcache[source]
    assert stored is not parsed and len(words) > 100
    for word in words:
        assert stored.positions(word) == parsed.positions(word), word


def test_language_without_patterns_is_left_alone(monkeypatch) -> None:
    monkeypatch.setattr(pyphen, "hdcache", {})
    hyphenation.preload("ar")
    assert pyphen.hdcache == {}
