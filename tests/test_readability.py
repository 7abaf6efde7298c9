"""Readability measured in the PDF: shipped leaflets pass, a bad stylesheet fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import LEAFLET_ID, REPO, run_cli

from leaflet_gen.colour import WHITE, contrast, from_hex, grey
from leaflet_gen.pdf import html_to_pdf, weasyprint_module
from leaflet_gen.project import Project
from leaflet_gen.readability import Rules, check_pdf, rules_for

BAD_CSS = REPO / "tests" / "fixtures" / "bad-readability.css"


@pytest.fixture(scope="module")
def danish_html(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("html")
    assert (
        run_cli(
            "build", LEAFLET_ID, "--project", REPO, "--lang", "da", "--format", "html", "--out", out
        )
        == 0
    )
    return (out / f"{LEAFLET_ID}.da.html").read_text(encoding="utf-8")


def test_contrast_arithmetic() -> None:
    assert contrast((0, 0, 0), WHITE) == pytest.approx(21)
    assert contrast(from_hex("#777"), WHITE) == pytest.approx(4.48, abs=0.01)
    red, black = from_hex("#f00"), (0, 0, 0)
    assert contrast(red, black) > 4.5 > contrast(grey(red), grey(black))


def test_every_shipped_leaflet_passes(built: Path, capsys) -> None:
    pdfs = sorted(built.glob("*.pdf"))
    assert run_cli("check", *pdfs) == 0
    out = capsys.readouterr().out
    assert out.count("ok ") == len(pdfs) == 7
    assert "smallest text 9.5 pt, body text >= 12 pt" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "ar", "--clinic", "examples/clinic.toml"],
        ["--lang", "uk", "--edition", "print-shop", "--large-print"],
        ["--lang", "ar", "--edition", "booklet"],
    ],
    ids=["arabic-with-clinic", "print-shop-large-print", "arabic-booklet"],
)
def test_editions_pass(args: list[str], capsys) -> None:
    assert run_cli("check", LEAFLET_ID, "--project", REPO, "--draft", *args) == 0, (
        capsys.readouterr().err
    )
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_bad_stylesheet_fails_every_check(danish_html: str, tmp_path: Path, capsys) -> None:
    bad = danish_html.replace("</head>", f"<style>{BAD_CSS.read_text()}</style></head>")
    pdf = tmp_path / "bad.pdf"
    pdf.write_bytes(html_to_pdf(bad, REPO, Project.at(REPO).asset_roots(), pdf_variant="pdf/ua-1"))

    report = check_pdf(pdf.read_bytes(), Rules())
    assert set(report.kinds) == {"small", "body", "contrast", "greyscale"}
    assert any("text 7 pt is below 9 pt" in f for f in report.findings)
    assert run_cli("check", pdf) == 1
    err = capsys.readouterr().err
    assert "body text 10 pt is below 12 pt" in err and "Traceback" not in err


def test_figure_without_alt_and_untagged_pdf_fail(danish_html: str) -> None:
    weasyprint = weasyprint_module()
    no_alt = re.sub(r'(<img[^>]*?)alt="[^"]*"', r'\1alt=""', danish_html, count=1)
    tagged = weasyprint.HTML(string=no_alt, base_url=str(REPO)).write_pdf(pdf_tags=True)
    assert set(check_pdf(tagged, Rules()).kinds) == {"alt"}
    untagged = weasyprint.HTML(string=danish_html, base_url=str(REPO)).write_pdf()
    assert check_pdf(untagged, Rules()).kinds["tags"] == 1
    assert check_pdf(untagged, Rules(tagged=False)).passed


def test_not_a_pdf(built: Path, tmp_path: Path, capsys) -> None:
    fake, truncated = tmp_path / "fake.pdf", tmp_path / "truncated.pdf"
    fake.write_text("hello")
    whole = (built / f"{LEAFLET_ID}.da.pdf").read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    assert run_cli("check", fake, truncated, tmp_path / "missing.pdf") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and "Traceback" not in "".join(err)
    assert "not a readable PDF" in err[0] and "no such file" in err[2]


def test_skipped_heading_level_fails(danish_html: str) -> None:
    skipping = danish_html.replace("<h2", "<h4").replace("</h2>", "</h4>")
    pdf = html_to_pdf(skipping, REPO, Project.at(REPO).asset_roots(), pdf_variant="pdf/ua-1")
    report = check_pdf(pdf, Rules())
    assert set(report.kinds) == {"headings"}
    assert report.findings[0] == "page 1: H4 follows H1"


def test_print_shop_text_too_close_to_the_trim_fails(tmp_path: Path) -> None:
    args = ("--lang", "da", "--format", "html", "--edition", "print-shop", "--out", tmp_path)
    assert run_cli("build", LEAFLET_ID, "--project", REPO, *args) == 0
    html = (tmp_path / f"{LEAFLET_ID}.da.html").read_text(encoding="utf-8")
    rules = rules_for("print-shop", large_print=False)
    options = {"pdf_variant": "pdf/x-4", "output_intent": "srgb"}
    roots = Project.at(REPO).asset_roots()
    assert check_pdf(html_to_pdf(html, REPO, roots, **options), rules).passed
    cramped = html.replace("</head>", "<style>@page { margin: 3mm }</style></head>")
    report = check_pdf(html_to_pdf(cramped, REPO, roots, **options), rules)
    assert report.kinds["trim"] > 0  # (the cramped footer also overlaps text: contrast too)
    assert "text is within 5 mm of the trim" in report.findings[0]


def test_a_document_that_cannot_be_made_fails_alone(capsys) -> None:
    """German in large print is 27 A5 pages: too many for a booklet; Danish is still checked."""
    args = ("--edition", "booklet", "--large-print", "--lang", "de", "--lang", "da", "--draft")
    assert run_cli("check", LEAFLET_ID, "--project", REPO, *args) == 1
    captured = capsys.readouterr()
    assert "do not make a sensible saddle-stitched booklet" in captured.err
    assert "1 passed, 1 failed (booklet edition)" in captured.out
    assert "untagged" in captured.out
