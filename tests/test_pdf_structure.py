"""The text layer and the tags of finished PDFs, read by three extractors (pdftotext, PDFium,
pypdf) and walked with pikepdf: Arabic in logical order, hyphenated words whole, pagination as
artifacts, no marked content outside the structure tree, reproducible identifiers."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import lxml.html
import pdfplumber
import pikepdf
import pytest
from conftest import LEAFLET_ID, REPO, by_pdfium, by_pdftotext, by_pypdf, run_cli

from leaflet_gen import tagging
from leaflet_gen.readability import check_pdf, rules_for

LATIN = ("da", "en", "de", "pl", "uk", "tr")
LAM_ALEF = ("لا", "لأ", "لإ", "لآ")


def words(text: str) -> list[str]:
    """Letters, marks and digits; case folded."""
    kept = (c if unicodedata.category(c)[0] in "LMN" else " " for c in text)
    return "".join(kept).casefold().split()


def recall(source: list[str], extracted: list[str]) -> float:
    wanted, found = Counter(source), Counter(extracted)
    return sum((wanted & found).values()) / max(wanted.total(), 1)


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> dict[str, list[str]]:
    """The words of each language's HTML body, as rendered."""
    out = tmp_path_factory.mktemp("html")
    assert run_cli("build", "--project", REPO, "--out", out, "--draft", "--format", "html") == 0
    texts = {}
    for html in out.glob("*.html"):
        body = lxml.html.fromstring(html.read_bytes()).find("body")
        for style in body.xpath(".//style"):
            style.drop_tree()
        texts[html.suffixes[0][1:]] = words(" ".join(body.itertext()))
    return texts


@pytest.fixture(scope="module")
def unrepaired(tmp_path_factory) -> Path:
    """Arabic and Danish (with a clinic) as WeasyPrint writes them, without tagging.finish."""
    out = tmp_path_factory.mktemp("unrepaired")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tagging, "finish", lambda document, pdf: None)
        for lang in ("ar", "da"):
            args = ("--lang", lang, "--clinic", REPO / "examples" / "clinic.toml")
            assert run_cli("build", "--project", REPO, "--out", out, "--draft", *args) == 0
    return out


@pytest.fixture(scope="module")
def clinic(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("clinic")
    args = ("--lang", "da", "--lang", "ar", "--clinic", REPO / "examples" / "clinic.toml")
    assert run_cli("build", "--project", REPO, "--out", out, "--draft", *args) == 0
    return out


@pytest.mark.parametrize("extract", [by_pdftotext, by_pdfium, by_pypdf])
def test_arabic_extracts_in_logical_order(built: Path, source, extract) -> None:
    text = extract(built / f"{LEAFLET_ID}.ar.pdf")
    lam_alef = [word for word in source["ar"] if any(pair in word for pair in LAM_ALEF)]
    assert len(lam_alef) > 100
    assert recall(lam_alef, words(text)) >= 0.98
    bare = [w for w in words(unicodedata.normalize("NFC", text)) if not w.isdigit()]
    assert recall([w for w in source["ar"] if not w.isdigit()], bare) >= 0.9
    assert "والتقص" in text.replace("\u0651", "")  # the sad-yeh ligature keeps its letters


@pytest.mark.parametrize("lang", LATIN)
@pytest.mark.parametrize("extract", [by_pdftotext, by_pdfium])
def test_hyphenated_words_extract_whole(built: Path, source, lang: str, extract) -> None:
    assert recall(source[lang], words(extract(built / f"{LEAFLET_ID}.{lang}.pdf"))) >= 0.99


def marked_content(pdf: pikepdf.Pdf) -> tuple[dict[int, set[int]], Counter]:
    """MCIDs per page in the content streams, and the artifacts' types."""
    mcids, artifacts = {}, Counter()
    for number, page in enumerate(pdf.pages):
        mcids[number] = set()
        for operands, operator in pikepdf.parse_content_stream(page):
            if operator == pikepdf.Operator("BDC") and isinstance(operands[1], pikepdf.Dictionary):
                if "/MCID" in operands[1]:
                    mcids[number].add(int(operands[1].MCID))
                if operands[0] == pikepdf.Name.Artifact:
                    artifacts[str(operands[1].get("/Type"))] += 1
    return mcids, artifacts


def tree_mcids(pdf: pikepdf.Pdf) -> dict[int, set[int]]:
    """MCIDs per page reachable from the StructTreeRoot."""
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    found: dict[int, set[int]] = {number: set() for number in pages.values()}

    def walk(element, page) -> None:
        page = element.get("/Pg", page) if isinstance(element, pikepdf.Dictionary) else page
        kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, int):
                found[pages[page.objgen]].add(int(kid))
            elif isinstance(kid, pikepdf.Dictionary):
                walk(kid, page)

    walk(pdf.Root.StructTreeRoot, None)
    return found


@pytest.mark.parametrize("name", [f"{LEAFLET_ID}.da.pdf", f"{LEAFLET_ID}.ar.pdf"])
def test_no_orphaned_marked_content_and_pagination_is_artifact(clinic: Path, name: str) -> None:
    with pikepdf.open(clinic / name) as pdf:
        in_content, artifacts = marked_content(pdf)
        assert in_content == tree_mcids(pdf)
        assert artifacts["/Pagination"] >= 2 * len(pdf.pages)  # title line and page number


def test_unrepaired_pdf_has_orphans(unrepaired: Path) -> None:
    with pikepdf.open(unrepaired / f"{LEAFLET_ID}.da.pdf") as pdf:
        in_content, _ = marked_content(pdf)
        assert in_content != tree_mcids(pdf)


def test_table_headers_have_scope_and_ids_an_id_tree(built: Path) -> None:
    with pikepdf.open(built / f"{LEAFLET_ID}.da.pdf") as pdf:
        root = pdf.Root.StructTreeRoot
        names = root.IDTree.Names
        assert len(names) >= 2
        for element in names[1::2]:
            assert element.S == "/TH" and element.A.Scope in ("/Column", "/Row")


def test_large_print_footer_is_at_least_12_pt(tmp_path: Path) -> None:
    args = ("--lang", "da", "--large-print")
    assert run_cli("build", "--project", REPO, "--out", tmp_path, *args) == 0
    with pdfplumber.open(tmp_path / f"{LEAFLET_ID}.da.pdf") as pdf:
        margins = [c["size"] for page in pdf.pages for c in page.chars if c.get("mcid") is None]
    assert margins and min(margins) >= 12 - 0.05


def test_check_fails_unrepaired_and_passes_repaired(unrepaired: Path, clinic: Path) -> None:
    rules = rules_for("screen", large_print=False)
    for lang in ("ar", "da"):
        name = f"{LEAFLET_ID}.{lang}.pdf"
        bad = check_pdf((unrepaired / name).read_bytes(), rules)
        assert not bad.passed and bad.kinds["tags"]
        assert check_pdf((clinic / name).read_bytes(), rules).passed, name
    bad = check_pdf((unrepaired / f"{LEAFLET_ID}.ar.pdf").read_bytes(), rules)
    assert any("maps to no text" in f for f in bad.findings)
    assert any("PDFium and pypdf" in f for f in bad.findings)


def test_print_shop_edition_is_reproducible(tmp_path: Path) -> None:
    args = ("--project", REPO, "--lang", "da", "--edition", "print-shop", "--force")
    assert run_cli("build", "--out", tmp_path / "a", *args) == 0
    assert run_cli("build", "--out", tmp_path / "b", *args) == 0
    name = f"{LEAFLET_ID}.da.pdf"
    first = (tmp_path / "a" / name).read_bytes()
    assert first == (tmp_path / "b" / name).read_bytes()
    with pikepdf.open(tmp_path / "a" / name) as pdf:
        assert b"xmp.did:" in pdf.Root.Metadata.read_bytes()


def test_fresh_font_cache_gives_the_same_bytes(built: Path, tmp_path: Path) -> None:
    environment = {**os.environ, "LEAFLET_GEN_CACHE": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "leaflet_gen", "build", "--project", str(REPO)]
    command += ["--out", str(tmp_path / "out"), "--lang", "ar", "--draft"]
    subprocess.run(command, env=environment, check=True, capture_output=True)
    name = f"{LEAFLET_ID}.ar.pdf"
    assert (tmp_path / "out" / name).read_bytes() == (built / name).read_bytes()
