"""The spine: Danish leaflet → A4 PDF, checked on the PDF itself."""

from __future__ import annotations

import os
from pathlib import Path

import pypdf
import pytest
from conftest import LEAFLET_ID, REPO, SEED, pdf_text, run_cli

from leaflet_gen.load import load_leaflet
from leaflet_gen.model import Role

A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def danish_pdf(built: Path) -> Path:
    return built / f"{LEAFLET_ID}.da.pdf"


def test_pdf_is_a4_with_danish_metadata(danish_pdf: Path) -> None:
    reader = pypdf.PdfReader(danish_pdf)
    for page in reader.pages:
        assert (
            round(float(page.mediabox.width), 1),
            round(float(page.mediabox.height), 1),
        ) == pytest.approx(A4, abs=0.1)
    assert reader.trailer["/Root"]["/Lang"] == "da"
    assert reader.metadata.title == "Smerter i ballen og ned i benet"
    assert reader.metadata.creator.startswith("leaflet-gen")


def test_text_in_reading_order(danish_pdf: Path) -> None:
    text = pdf_text(danish_pdf)
    leaflet = load_leaflet(REPO / "leaflets" / f"{LEAFLET_ID}.md")
    causes = next(s for s in leaflet.sections if s.role is Role.CAUSES)
    faq = next(s for s in leaflet.sections if s.role is Role.FAQ)
    headings = [section.heading.text for section in leaflet.sections]
    expected = [
        "Smerter i ballen og ned i benet",
        "Sidst opdateret 12. oktober 2025",
        headings[0],
        "Iskias",
        "Piriformis syndrom",
        "Gluteal tendinopati",
        *headings[1:],
    ]
    position = 0
    for needle in expected:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} missing or out of order"
        position = found
    assert "cauda equina-syndrom" in text
    for item in faq.faq:
        assert item.question.text in text
    assert len(causes.blocks) == 2  # the paragraph and the cause table


def test_running_footer_on_every_page(danish_pdf: Path) -> None:
    reader = pypdf.PdfReader(danish_pdf)
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        text = " ".join(page.extract_text().split())
        assert f"Side {number} af {total}" in text
        assert "Smerter i ballen og ned i benet · 12. oktober 2025" in text


def test_only_shipped_fonts_embedded(danish_pdf: Path) -> None:
    reader = pypdf.PdfReader(danish_pdf)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            assert name.startswith(("LeafletSans", "LeafletArabic")), name
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"], f"{name} not embedded"


def test_verbatim_seed_renders_as_plain_leaflet(tmp_path: Path) -> None:
    assert run_cli("build", "--project", REPO, SEED, "--out", tmp_path) == 0
    text = pdf_text(tmp_path / f"{LEAFLET_ID}.da.pdf")
    assert "Piriformis syndrom" in text and "Mulig behandling" in text
    assert "Er operation altid nødvendig ved iskias?" in text
    assert "Søg læge med det samme" not in text  # no red-flag role declared: plain section


def test_html_format_links_real_assets(tmp_path: Path) -> None:
    assert (
        run_cli(
            "build",
            "--project",
            REPO,
            LEAFLET_ID,
            "--format",
            "html",
            "--lang",
            "da",
            "--out",
            tmp_path,
        )
        == 0
    )
    html = (tmp_path / f"{LEAFLET_ID}.da.html").read_text(encoding="utf-8")
    assert '<html lang="da" dir="ltr">' in html
    for url in _file_urls(html):
        assert Path(url.removeprefix("file://")).is_file(), url


def _file_urls(html: str) -> list[str]:
    import re

    return re.findall(r'(?:href|src|url\()\s*=?\s*"(file://[^"]+)"', html)


# -- errors: one line, exit 1, no traceback, no half-written file --------------------------


def _error_case(capsys, out: Path, *args) -> str:
    code = run_cli("build", *args, "--out", out, "--lang", "da")
    err = capsys.readouterr().err.strip()
    assert code == 1, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert not list(out.glob("*.pdf")) and not list(out.glob(".*part"))
    return err


def test_missing_file(project: Path, tmp_path: Path, capsys) -> None:
    err = _error_case(capsys, tmp_path, "--project", project, "no-such-leaflet")
    assert "no-such-leaflet" in err and "no such leaflet" in err


def test_invalid_yaml(project: Path, tmp_path: Path, capsys) -> None:
    bad = project / "leaflets" / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\nText\n", encoding="utf-8")
    err = _error_case(capsys, tmp_path, "--project", project, "bad")
    assert "bad.md" in err and "invalid YAML" in err


def test_role_naming_missing_heading(project: Path, tmp_path: Path, capsys) -> None:
    source = project / "leaflets" / f"{LEAFLET_ID}.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            'faq: "Ofte stillede', 'faq: "Ingen sådan overskrift', 1
        ),
        encoding="utf-8",
    )
    err = _error_case(capsys, tmp_path, "--project", project, LEAFLET_ID)
    assert "Ingen sådan overskrift" in err and f"{LEAFLET_ID}.md" in err


def test_unparsable_date(project: Path, tmp_path: Path, capsys) -> None:
    source = project / "leaflets" / f"{LEAFLET_ID}.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace(
            'lastUpdated: "12/10/2025"', 'lastUpdated: "31/02/2025"'
        ),
        encoding="utf-8",
    )
    err = _error_case(capsys, tmp_path, "--project", project, LEAFLET_ID)
    assert "lastUpdated" in err and "31/02/2025" in err


def test_unwritable_output_folder(project: Path, tmp_path: Path, capsys) -> None:
    if os.geteuid() == 0:
        locked = Path("/proc")  # exists, and not even root may create files in it
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
    err = _error_case(capsys, locked, "--project", project, LEAFLET_ID)
    assert "cannot write to the output folder" in err


def test_output_path_that_is_a_file(project: Path, tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code = run_cli("build", "--project", project, LEAFLET_ID, "--out", blocker / "sub")
    err = capsys.readouterr().err.strip()
    assert code == 1 and "cannot create output folder" in err and len(err.splitlines()) == 1
