"""Shared fixtures: the sample project, temporary copies of it, PDF readers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdf
import pypdfium2
import pytest

from leaflet_gen.cli import main

REPO = Path(__file__).resolve().parents[1]
# A verbatim copy of ../shared/seed/smerter-i-ballen-og-ned-i-benet.md (no added keys).
SEED = REPO / "tests" / "fixtures" / "smerter-i-ballen-og-ned-i-benet.md"
LEAFLET_ID = "smerter-i-ballen-og-ned-i-benet"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the sample project (leaflets/ and locales/)."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "leaflets", root / "leaflets")
    shutil.copytree(REPO / "locales", root / "locales", ignore=shutil.ignore_patterns("*.mo"))
    return root


def by_pdftotext(path: Path) -> str:
    """The text poppler's pdftotext extracts (the test skips where it is not installed)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    command = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def by_pdfium(path: Path) -> str:
    """The text Chrome's viewer (PDFium) extracts."""
    document = pypdfium2.PdfDocument(path)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def by_pypdf(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def run_cli(*args: str | Path) -> int:
    """Run the command line in-process; returns its exit code."""
    return main([str(a) for a in args])


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The sample leaflet, built once for the whole session in every complete language.

    The sample catalogues were never reviewed by a clinician: they build as marked drafts.
    """
    out = tmp_path_factory.mktemp("dist")
    assert run_cli("build", "--project", REPO, "--out", out, "--draft") == 0
    return out


def pdf_text(path: Path) -> str:
    """All text of a PDF, pages joined, whitespace collapsed, hyphenation breaks rejoined."""
    reader = pypdf.PdfReader(path)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    return text.replace("\u2010 ", "")


def font_names(path: Path) -> set[str]:
    """Base names of every font used in a PDF (subset prefixes removed)."""
    names = set()
    for page in pypdf.PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1].lstrip("/"))
    return names


def squash(text: str) -> str:
    """Text without whitespace or hyphenation hyphens, to compare across line breaks."""
    return "".join(c for c in text if not c.isspace() and c != "\u2010")


TEST_LANG = "sv"  # a real locale (Babel knows its plural rules) that the project does not ship


def pseudo(text: str) -> str:
    """A visibly different 'translation' that keeps numbers, markup and placeholders."""
    return f"SV {text}"


def read_po(project: Path, lang: str, domain: str):
    """One catalogue of a project, as leaflet-gen reads it."""
    from leaflet_gen import pofiles
    from leaflet_gen.project import catalog_path

    return pofiles.read(catalog_path(project / "locales", lang, domain))


def write_po(project: Path, lang: str, domain: str, store) -> None:
    """Save a catalogue the way a PO editor would: nothing but the file is touched."""
    from leaflet_gen.project import catalog_path

    catalog_path(project / "locales", lang, domain).write_bytes(bytes(store))


def fill(project: Path, lang: str, change=pseudo, skip=lambda entry: False) -> None:
    """Translate every entry of a language with ``change`` and clear fuzzy flags (an editor)."""
    from translate.misc.multistring import multistring

    from leaflet_gen import pofiles

    for path in (project / "locales" / lang / "LC_MESSAGES").glob("*.po"):
        store = pofiles.read(path)
        for entry in pofiles.entries(store):
            if skip(entry):
                continue
            if entry.hasplural():
                forms = len(entry.target.strings)
                entry.target = multistring([change(entry.source.strings[-1])] * forms)
            else:
                entry.target = change(entry.source)
            entry.markfuzzy(False)
        path.write_bytes(bytes(store))


def find_entry(store, text: str):
    """The live entry whose Danish text contains ``text`` (exactly one must)."""
    from leaflet_gen import pofiles

    found = [e for e in pofiles.entries(store) if text in pofiles.key(e)[1]]
    assert len(found) == 1, (text, [pofiles.key(e) for e in found])
    return found[0]


@pytest.fixture
def translated(project: Path) -> Path:
    """The sample project with a complete pseudo-translation into the test language."""
    assert run_cli("i18n", "update", "--project", project, "--lang", TEST_LANG) == 0
    fill(project, TEST_LANG)
    return project
