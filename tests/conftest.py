"""Shared fixtures: the sample project, temporary copies of it, PDF readers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdf
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


def run_cli(*args: str | Path) -> int:
    """Run the command line in-process; returns its exit code."""
    return main([str(a) for a in args])


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The sample leaflet, built once for the whole session in every complete language."""
    out = tmp_path_factory.mktemp("dist")
    assert run_cli("build", "--project", REPO, "--out", out) == 0
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
