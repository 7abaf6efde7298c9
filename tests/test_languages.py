"""Every shipped language: right /Lang, its own red-flag heading and cause names in the text."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from conftest import LEAFLET_ID, REPO, pdf_text, squash

from leaflet_gen.load import load_leaflet
from leaflet_gen.model import Role
from leaflet_gen.translate import Translation

LANGS = ["da", "en", "de", "pl", "uk", "tr", "ar"]


def _caseless(text: str, lang: str) -> str:
    """Upper case as CSS text-transform does it (Turkish dotted İ), for comparing labels.

    In right-to-left text Pango may draw the mirrored glyph of a bracket, which the PDF maps
    back to the mirrored character: "(Piriformis)" can extract as ")Piriformis(". Dropping
    brackets is the one normalisation made for Arabic (a known limitation, see README).
    """
    if lang == "tr":
        text = text.replace("i", "İ").replace("ı", "I")
    if lang == "ar":
        text = text.replace("(", "").replace(")", "")
    return text.upper()


def _extracted(pdf: Path, lang: str) -> str:
    return _caseless(squash(pdf_text(pdf)), lang)


@pytest.mark.parametrize("lang", LANGS)
def test_language_pdf(built: Path, lang: str) -> None:
    pdf = built / f"{LEAFLET_ID}.{lang}.pdf"
    reader = pypdf.PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == lang
    translation = Translation(lang, REPO / "locales")
    leaflet = translation.leaflet(load_leaflet(REPO / "leaflets" / f"{LEAFLET_ID}.md"))
    assert not translation.gaps
    text = _extracted(pdf, lang)
    red_flags = leaflet.red_flags
    assert _caseless(squash(red_flags.heading.text), lang) in text
    causes = next(s for s in leaflet.sections if s.role is Role.CAUSES)
    table = causes.blocks[-1]
    for row in table.rows:
        assert _caseless(squash(row[0].text), lang) in text, row[0].text
    label = translation.pgettext("safety.seek-doctor", "Søg læge med det samme ved disse tegn")
    assert _caseless(squash(label), lang) in text
    assert leaflet.title.text == reader.metadata.title


def test_arabic_is_right_to_left_and_extracts_exactly(built: Path) -> None:
    html_dir = built
    pdf = html_dir / f"{LEAFLET_ID}.ar.pdf"
    translation = Translation("ar", REPO / "locales")
    leaflet = translation.leaflet(load_leaflet(REPO / "leaflets" / f"{LEAFLET_ID}.md"))
    text = squash(pdf_text(pdf))
    for section in leaflet.sections:
        assert squash(section.heading.text) in text
    assert "4–6" in text  # the range kept its order (isolated left-to-right)


def test_complete_languages_are_built_by_default(built: Path) -> None:
    assert sorted(p.name.split(".")[1] for p in built.glob("*.pdf")) == sorted(LANGS)
