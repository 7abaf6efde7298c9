"""Personalised handouts and branded leaflets, checked on the PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from conftest import LEAFLET_ID, REPO, pdf_text, run_cli, squash

from leaflet_gen.clinic import load_clinic, text_colour
from leaflet_gen.colour import WHITE, from_hex, worst_contrast
from leaflet_gen.dosage import parse_dosage
from leaflet_gen.errors import LeafletError, SourceError
from leaflet_gen.model import Dosage, Side

CLINIC = REPO / "examples" / "clinic.toml"


def _handout(tmp_path: Path, *extra: str, lang: str = "da", root: Path = REPO) -> tuple[int, Path]:
    out = tmp_path / "handout.pdf"
    code = run_cli(
        "handout",
        LEAFLET_ID,
        "--project",
        root,
        "--lang",
        lang,
        "--clinic",
        CLINIC,
        "--patient",
        "Anna <b>x</b> Jensen",
        "--therapist",
        "Jens Fysio",
        "--date",
        "2026-11-27",
        "--out",
        out,
        "--draft",
        *extra,
    )
    return code, out


@pytest.fixture(scope="module")
def danish_handout(tmp_path_factory) -> Path:
    code, out = _handout(
        tmp_path_factory.mktemp("handout"),
        "--exercise",
        "sit-to-stand:3x12,2/day",
        "--exercise",
        "piriformis-stretch:3x30s,2/day,left",
        "--note",
        "Gå en tur hver dag.",
    )
    assert code == 0
    return out


def _card_titles(text: str) -> list[str]:
    """Titles of the exercise cards (numbered, each with one dosage line), in order."""
    titles = [
        "Rejse-sætte-sig",
        "Piriformis-udspænding",
        "Siddende nerveglidning",
        "Bækkenløft (glute bridge)",
        "Muslingen (side-lying clamshell)",
    ]
    cards = [(text.index(f"{n} {t}"), t) for t in titles for n in range(1, 6) if f"{n} {t}" in text]
    assert text.count("Dosering:") == len(cards)
    return [title for _, title in sorted(cards)]


def test_handout_has_patient_exercises_in_order_and_red_flags(danish_handout: Path) -> None:
    text = pdf_text(danish_handout)
    assert "Anna <b>x</b> Jensen" in text
    assert "Jens Fysio" in text and "27. november 2026" in text
    assert "Gå en tur hver dag." in text
    assert _card_titles(text) == ["Rejse-sætte-sig", "Piriformis-udspænding"]
    assert "3 sæt × 12 gentagelser, 2 gange dagligt" in text
    assert "3 sæt × hold 30 sekunder, 2 gange dagligt, venstre ben" in text
    assert "SØG LÆGE MED DET SAMME" in text.upper() and "cauda equina" in text
    assert "Piriformis syndrom" in text  # the rest of the leaflet stays


# The example logo's green (#1f6f5c) as a PDF fill operator: WeasyPrint draws SVG as vectors.
SVG_LOGO_FILL = re.compile(rb"0\.12\d* 0\.43\d* 0\.36\d* rg")


def test_handout_carries_clinic_logo_and_contact_on_every_page(danish_handout: Path) -> None:
    reader = pypdf.PdfReader(danish_handout)
    for page in reader.pages:
        text = page.extract_text()
        assert "+45 35 12 34 56" in text and "Fysioterapi Nørrebro" in text
        assert SVG_LOGO_FILL.search(page.get_contents().get_data()), "logo missing on a page"


def _images_on(page) -> list[str]:
    """Raster images drawn on a page."""
    objects = page["/Resources"].get("/XObject", {})
    return [k for k, v in objects.items() if v.get_object().get("/Subtype") == "/Image"]


@pytest.fixture
def png_clinic(tmp_path: Path) -> Path:
    from PIL import Image, ImageDraw

    logo = Image.new("RGB", (120, 120), "white")
    ImageDraw.Draw(logo).ellipse((5, 5, 115, 115), fill=(31, 111, 92))
    logo.save(tmp_path / "logo.png")
    profile = tmp_path / "clinic.toml"
    profile.write_text(
        'name = "PNG Klinik"\nlogo = "logo.png"\nphone = "+45 11 22 33 44"\n'
        'email = "kontakt@png.example"\n',
        encoding="utf-8",
    )
    return profile


def test_exercises_only_sheet(tmp_path: Path) -> None:
    code, out = _handout(tmp_path, "--exercise", "glute-bridge", "--exercises-only")
    assert code == 0
    text = pdf_text(out)
    assert _card_titles(text) == ["Bækkenløft (glute bridge)"]
    assert "3 sæt × 10 gentagelser, 1 gang dagligt" in text  # library default
    assert "cauda equina" in text
    assert "Piriformis syndrom" not in text
    pages = _page_texts(out)
    assert len(pages) - _diary_pages(pages) <= 2


THREE = (
    "--exercise",
    "glute-bridge:3x12",
    "--exercise",
    "piriformis-stretch:3x30s,2/day,left",
    "--exercise",
    "sit-to-stand:3x10,2/day",
)


def _page_texts(pdf: Path) -> list[str]:
    pages = pypdf.PdfReader(pdf).pages
    return [" ".join((p.extract_text() or "").split()).replace("\u2010 ", "") for p in pages]


def _diary_pages(pages: list[str]) -> int:
    return sum(1 for page in pages if "Træningsdagbog" in page or "Uge 2" in page)


def test_handout_puts_the_programme_first(danish_handout: Path) -> None:
    pages = _page_texts(danish_handout)
    assert "Din personlige plan" in pages[0] and "Dit program" in pages[0]
    text = " ".join(pages)
    order = [
        "Din personlige plan",
        "Dit program",
        "Sid forrest på en stol",  # the first card's first step
        "SØG LÆGE MED DET SAMME",
        "Træningsdagbog",
        "Smerter i ballen og ned i benet er et almindeligt symptom",
    ]
    positions = [text.upper().index(marker.upper()) for marker in order]
    assert positions == sorted(positions)
    programme = squash(text[text.index("Dit program") : text.index("Sid forrest på en stol")])
    assert programme.index("Rejse-sætte-sig") < programme.index("Piriformis-udspænding")
    assert squash("3 sæt × hold 30 sekunder") in programme and "venstreben" in programme
    assert text.upper().count("SØG LÆGE MED DET SAMME") == 1  # the red flags once, up front


def test_three_exercises_fit_two_pages_and_no_page_holds_only_contacts(
    project: Path, tmp_path: Path
) -> None:
    """In an approved language (a draft adds its notice box to page 1)."""
    args = ("i18n", "approve", "--project", project, "--lang", "ar", "--by", "Test Reviewer")
    assert run_cli(*args) == 0
    for lang in ("da", "ar"):
        code, out = _handout(tmp_path, *THREE, "--exercises-only", lang=lang, root=project)
        assert code == 0
        pages = _page_texts(out)
        assert len(pages) - 1 <= 2, f"{lang}: {len(pages)} pages with a one-page diary"
        assert "UDKAST" not in " ".join(pages)
        code, out = _handout(tmp_path, *THREE, lang=lang, root=project)
        for number, page in enumerate(_page_texts(out), 1):
            rest = page
            for contact in ("Fysioterapi Nørrebro", "Nørrebrogade 100", "2200 København N"):
                rest = rest.replace(contact, "")
            assert len(rest) > 250, f"{lang} page {number} holds little but contact details"


@pytest.mark.parametrize(
    "lang, first, second",
    [("da", "fre.", "lør."), ("de", "Fr.", "Sa."), ("ar", "الجمعة", "السبت")],
)
def test_diary_is_dated_from_the_handout_in_the_patients_weekdays(
    tmp_path: Path, lang: str, first: str, second: str
) -> None:
    code, out = _handout(tmp_path, *THREE, "--exercises-only", "--diary", "2", lang=lang)
    assert code == 0  # 2026-11-27 is a Friday
    diary = _page_texts(out)[-1]
    assert diary.index(first) < diary.index(second) or lang == "ar"
    assert first in diary and second in diary
    words = {w["text"]: w for w in pdfplumber_words(out, page=-1)}
    assert "10/12" in words and "11/12" not in words  # two weeks from 27/11
    friday, saturday = words["27/11"]["x0"], words["28/11"]["x0"]
    assert (friday > saturday) if lang == "ar" else (friday < saturday)  # reading order


def pdfplumber_words(pdf: Path, page: int) -> list[dict]:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return document.pages[page].extract_words()


def test_no_diary_and_diary_bounds(tmp_path: Path, capsys) -> None:
    code, out = _handout(tmp_path, *THREE, "--exercises-only", "--diary", "0")
    assert code == 0 and "Træningsdagbog" not in pdf_text(out)
    code, _ = _handout(tmp_path, *THREE, "--diary", "9")
    assert code == 2 and "--diary 9" in capsys.readouterr().err


def test_summary_for_the_record_and_a_danish_copy(tmp_path: Path, capsys) -> None:
    code, out = _handout(tmp_path, *THREE, "--summary", "--copy", "da", lang="ar")
    assert code == 0
    printed = capsys.readouterr().out
    summary = printed.strip().splitlines()[-1]
    assert summary.startswith("27. november 2026: Anna <b>x</b> Jensen fik udleveret")
    assert "på arabisk (»Smerter i ballen og ned i benet«)" in summary
    assert "Bækkenløft (glute bridge): 3 sæt × 12 gentagelser, 1 gang dagligt" in summary
    assert "Piriformis-udspænding: 3 sæt × hold 30 sekunder, 2 gange dagligt, venstre ben" in (
        summary
    )
    assert "røde flag" in summary and "ikke-godkendt udkast" in summary
    copy = out.with_suffix(".da.pdf")
    assert str(copy) in printed
    danish = pdf_text(copy)
    assert "Dit program" in danish and "UDKAST" not in danish
    assert "Dit program" not in pdf_text(out)  # the patient's own copy is in Arabic


def test_branded_leaflet_has_logo_on_every_page(tmp_path: Path, png_clinic: Path) -> None:
    out = tmp_path / "out"
    assert (
        run_cli(
            "build",
            LEAFLET_ID,
            "--project",
            REPO,
            "--lang",
            "da",
            "--clinic",
            png_clinic,
            "--out",
            out,
        )
        == 0
    )
    reader = pypdf.PdfReader(out / f"{LEAFLET_ID}.da.pdf")
    assert all(_images_on(page) for page in reader.pages)
    assert all("kontakt@png.example" in p.extract_text() for p in reader.pages)


def test_bidi_controls_do_not_reorder(tmp_path: Path) -> None:
    out = tmp_path / "h.pdf"
    assert (
        run_cli(
            "handout",
            LEAFLET_ID,
            "--project",
            REPO,
            "--patient",
            "Ali \u202eevil\u202c Hansen",
            "--exercise",
            "glute-bridge",
            "--exercises-only",
            "--date",
            "2026-01-02",
            "--out",
            out,
        )
        == 0
    )
    assert "Ali evil Hansen" in pdf_text(out)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--exercise", "glute-brige"], "did you mean glute-bridge"),
        (["--exercise", "glute-bridge:3y12"], "cannot read '3y12'"),
        (["--exercise", "glute-bridge:3x12,sometimes"], "cannot read 'sometimes'"),
        (["--exercise", "glute-bridge", "--clinic", "/no/such/clinic.toml"], "not found"),
        (["--exercise", "glute-bridge", "--date", "27/11/2026"], "not a date"),
    ],
)
def test_handout_errors(tmp_path: Path, capsys, args: list[str], message: str) -> None:
    out = tmp_path / "x.pdf"
    code = run_cli("handout", LEAFLET_ID, "--project", REPO, "--patient", "A", "--out", out, *args)
    err = capsys.readouterr().err.strip()
    assert code in (1, 2) and message in err and len(err.splitlines()) == 1
    assert not out.exists() and not list(tmp_path.iterdir())


def test_output_folder_must_exist(tmp_path: Path, capsys) -> None:
    out = tmp_path / "missing" / "x.pdf"
    code = run_cli(
        "handout",
        LEAFLET_ID,
        "--project",
        REPO,
        "--patient",
        "A",
        "--exercise",
        "glute-bridge",
        "--out",
        out,
    )
    assert code == 1 and "output folder does not exist" in capsys.readouterr().err


def test_dosage_syntax() -> None:
    default = Dosage(sets=2, reps=10, per_day=1, side=Side.BOTH)
    assert parse_dosage("3x12", default) == Dosage(3, 12, None, 1, Side.BOTH)
    # a part changes what it names only: the default's 10 repetitions stay beside the hold
    assert parse_dosage("3x30s,2/day,left", default) == Dosage(3, 10, 30, 2, Side.LEFT)
    with pytest.raises(LeafletError, match="0 sets is outside 1–10"):
        parse_dosage("0x10", default)


@pytest.mark.parametrize(
    "profile, logo, message",
    [
        ('name = "K"\nlogo = "logo.png"\n', b"not a png at all", "not really a PNG"),
        (
            'name = "K"\nlogo = "logo.svg"\n',
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "<script>",
        ),
        ('name = "K"\nlogo = "logo.gif"\n', b"GIF89a", "SVG, PNG or JPEG"),
        ('name = "K"\ncolour = "blue-ish"\n', None, "not a hex colour"),
        ("name = \n", None, "invalid TOML"),
        ('address = "x"\n', None, "needs a name"),
    ],
)
def test_bad_clinic_profiles(tmp_path: Path, profile: str, logo, message: str) -> None:
    path = tmp_path / "clinic.toml"
    path.write_text(profile, encoding="utf-8")
    if logo is not None:
        name = profile.split('logo = "')[1].split('"')[0]
        (tmp_path / name).write_bytes(logo)
    with pytest.raises(SourceError, match=message):
        load_clinic(path)


def test_big_logo_refused(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024))
    path = tmp_path / "clinic.toml"
    path.write_text('name = "K"\nlogo = "logo.png"\n', encoding="utf-8")
    with pytest.raises(SourceError, match="larger than 5 MB"):
        load_clinic(path)


def test_brand_colour_darkened_for_contrast() -> None:
    for bright in ("#ffd700", "#ff0000", "#2a9d8f"):
        assert worst_contrast(from_hex(text_colour(bright)), WHITE) >= 4.5
    assert text_colour("#1f4e79") == "#1f4e79"
    assert load_clinic(CLINIC).qr_svg.startswith("data:image/svg+xml")
