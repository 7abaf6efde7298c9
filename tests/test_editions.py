"""Editions: tagged screen PDF, print shop with bleed, A5 booklet, large print, bad options."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from conftest import LEAFLET_ID, REPO, run_cli

from leaflet_gen.editions import saddle_stitch_order

MM = 72 / 25.4


def _build(tmp_path: Path, *args: str, lang: str = "da") -> pypdf.PdfReader:
    assert (
        run_cli(
            "build",
            LEAFLET_ID,
            "--project",
            REPO,
            "--lang",
            lang,
            "--out",
            tmp_path,
            "--draft",
            *args,
        )
        == 0
    )
    return pypdf.PdfReader(tmp_path / f"{LEAFLET_ID}.{lang}.pdf")


def test_screen_pdf_is_tagged(built: Path) -> None:
    reader = pypdf.PdfReader(built / f"{LEAFLET_ID}.da.pdf")
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root and root["/Lang"] == "da"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    alts = _alt_texts(root["/StructTreeRoot"])
    assert any("bækkenet" in alt or "hoften" in alt for alt in alts), alts
    assert "Advarsel" in alts


def _alt_texts(node, found=None) -> list[str]:
    found = [] if found is None else found
    node = node.get_object()
    if isinstance(node, pypdf.generic.DictionaryObject):
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]:
                _alt_texts(kid, found)
    return found


def test_print_shop_has_bleed_and_trim(tmp_path: Path) -> None:
    reader = _build(tmp_path, "--edition", "print-shop")
    for page in reader.pages:
        trim, bleed = page.trimbox, page.bleedbox
        assert (round(float(trim.width)), round(float(trim.height))) == (595, 842)
        for edge in ("left", "bottom"):
            assert float(getattr(trim, edge)) - float(getattr(bleed, edge)) == pytest.approx(
                3 * MM, abs=0.1
            )
        assert float(bleed.width) == pytest.approx(float(trim.width) + 6 * MM, abs=0.1)
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_booklet_sheets(tmp_path: Path) -> None:
    reader = _build(tmp_path, "--edition", "booklet")
    assert len(reader.pages) % 2 == 0
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    assert reader.pdf_header == "%PDF-1.7"  # WeasyPrint's version, not pypdf's default 1.3
    first = reader.pages[0].extract_text()
    assert "Smerter i ballen og ned i benet" in first  # page 1 sits on the first sheet's front


def test_saddle_stitch_order() -> None:
    assert saddle_stitch_order(8) == [(7, 0), (1, 6), (5, 2), (3, 4)]
    assert saddle_stitch_order(4, right_to_left=True) == [(0, 3), (2, 1)]


def test_large_print(tmp_path: Path) -> None:
    import pdfplumber

    _build(tmp_path, "--large-print")
    with pdfplumber.open(tmp_path / f"{LEAFLET_ID}.da.pdf") as pdf:
        sizes = [round(c["size"], 1) for c in pdf.pages[0].chars]
    body = max(set(sizes), key=sizes.count)
    assert body >= 16


@pytest.mark.parametrize(
    "args, message",
    [
        (["--edition", "poster"], "unknown edition 'poster'"),
        (["--edition", "booklet", "--format", "html"], "needs --format pdf"),
    ],
)
def test_bad_edition_options(tmp_path: Path, capsys, args: list[str], message: str) -> None:
    code = run_cli("build", LEAFLET_ID, "--project", REPO, "--lang", "da", "--out", tmp_path, *args)
    err = capsys.readouterr().err.strip()
    assert code == 2 and message in err and len(err.splitlines()) == 1  # a usage error
