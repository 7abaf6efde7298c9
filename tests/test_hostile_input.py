"""Hostile and faulty input (issue 18, input half): every case is refused early with one line
naming the file and the limit, or handled without changing what a patient reads.

Cases that would take gigabytes on a regression (bombs) run the command line in a child
process whose address space is capped (RLIMIT_AS), so a regression fails instead of eating
the machine.
"""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import LEAFLET_ID, REPO, read_po, run_cli, write_po

from leaflet_gen.build import prescribe
from leaflet_gen.errors import LeafletError, SourceError
from leaflet_gen.model import Side
from leaflet_gen.project import Project

SOURCE = f"leaflets/{LEAFLET_ID}.md"
ADDRESS_SPACE = 1536 * 1024 * 1024  # the child's cap: bombs need far more, real work far less

# -- helpers --------------------------------------------------------------------------------


def edit(project: Path, change, relative: str = SOURCE) -> Path:
    path = project / relative
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def add_text(text: str):
    """Insert ``text`` as a paragraph after the intro, before the first H2."""

    def change(source: str) -> str:
        cut = source.index("\n## ")
        return f"{source[:cut]}\n\n{text}\n{source[cut:]}"

    return change


def set_key(key: str, value: str):
    """Replace (or add) one top-level front-matter line."""

    def change(source: str) -> str:
        line = f"{key}: {value}"
        if re.search(rf"(?m)^{key}:", source):
            return re.sub(rf"(?m)^{key}:.*$", lambda _: line, source, count=1)
        return source.replace("---\n", f"---\n{line}\n", 1)

    return change


def one_error(capsys) -> str:
    """The command's stderr: exactly one line, no traceback."""
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


def build_html(project: Path, out: Path, *extra: str) -> int:
    return run_cli(
        "build", "--project", project, "--lang", "da", "--format", "html", "--jobs", "1",
        "--out", out, *extra,
    )  # fmt: skip


def bounded_cli(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The command line in a child process with at most ADDRESS_SPACE bytes of memory."""
    program = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({ADDRESS_SPACE}, {ADDRESS_SPACE}))\n"
        "from leaflet_gen.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", program, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,  # a safety net for a regression that hangs, not a speed test
        env={**os.environ, "PYTHONWARNINGS": "default"},
    )


def png(width: int, height: int, truncate: bool = False) -> bytes:
    """A black-and-white PNG of any size: a few hundred KB even at a billion pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )
    return data[: len(data) // 2] if truncate else data


def jpeg(truncate: bool = False) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 30, 30)).save(buffer, "JPEG")
    data = buffer.getvalue()
    return data[: len(data) // 2] if truncate else data


def data_uri(data: bytes, mime: str = "image/png") -> str:
    import base64

    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


# -- the Danish source: size, encoding, characters -------------------------------------------


def test_bom_before_front_matter_is_read(project: Path, tmp_path: Path, capsys) -> None:
    path = project / SOURCE
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert build_html(project, tmp_path) == 0, capsys.readouterr().err
    assert "Smerter i ballen og ned i benet" in (tmp_path / f"{LEAFLET_ID}.da.html").read_text()


@pytest.mark.parametrize(
    "text, message",
    [
        ("Hej\x00med dig", "control character U+0000"),
        ("Hej\x1b[31mrød", "control character U+001B"),
        ("Ring\x07nu", "control character U+0007"),
        ("Tag \u202e48\u202c timer", "bidi control U+202E"),
        ("Tag \u202d48\u202c timer", "bidi control U+202D"),
        ("Tag \u2066 48 \u2069 timer", "bidi control U+2066"),
        ("Tag \u2067 48 \u2069 timer", "bidi control U+2067"),
        ("Tag \u202b48\u202c timer", "bidi control U+202B"),
        ("\x85næste linje", "control character U+0085"),
    ],
)
def test_control_characters_in_the_source_are_refused(
    project: Path, tmp_path: Path, capsys, text: str, message: str
) -> None:
    edit(project, add_text(text))
    assert build_html(project, tmp_path) == 1
    err = one_error(capsys)
    assert message in err and LEAFLET_ID in err and re.search(r"line \d+", err)


def test_bidi_control_in_the_title_is_refused(project: Path, tmp_path: Path, capsys) -> None:
    edit(project, set_key("title", '"Smerter i \u202eballen"'))
    assert build_html(project, tmp_path) == 1
    assert "line 2: bidi control U+202E" in one_error(capsys)


def test_source_not_utf8_names_the_line(project: Path, tmp_path: Path, capsys) -> None:
    path = project / SOURCE
    path.write_bytes(path.read_bytes().replace(b"Skarp", b"Sk\xe6rp", 1))
    assert build_html(project, tmp_path) == 1
    assert re.search(r"line \d+: not UTF-8 text", one_error(capsys))


def test_five_megabyte_leaflet_is_refused_unread(project: Path, tmp_path: Path) -> None:
    edit(project, add_text(("Lang tekst om ballen og benet. " * 30 + "\n\n") * 5600))
    assert (project / SOURCE).stat().st_size > 5_000_000
    result = bounded_cli("build", "--project", project, "--lang", "da", "--out", tmp_path)
    assert result.returncode == 1
    assert "source file is larger than 1 MB" in result.stderr
    assert "Traceback" not in result.stderr


# -- front matter: aliases, types, lengths, dates --------------------------------------------

ALIAS_BOMB = (
    'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    + "".join(
        f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n"
        for n in range(8)
    )
    + "title: *i\n"
)


def test_yaml_alias_bomb_is_refused(project: Path, tmp_path: Path) -> None:
    edit(project, lambda s: s.replace("---\n", "---\n" + ALIAS_BOMB.replace("title: *i\n", ""), 1)
         .replace('title: "Smerter i ballen og ned i benet"', "title: *i", 1))  # fmt: skip
    result = bounded_cli(
        "build", "--project", project, "--lang", "da", "--format", "html", "--out", tmp_path
    )
    assert result.returncode == 1
    assert "aliases (*name) are not allowed" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("title", "[a, b]", "title: must be text, not list"),
        ("title", "{a: b}", "title: must be text, not dict"),
        ("title", "'" + "Smerte " * 700 + "'", "title is longer than 200 characters"),
        ("title", "'" + "x" * 201 + "'", "title is longer than 200 characters"),
        ("title", '"Se ![x](x.png) her"', "title: images are only allowed in a leaflet's text"),
        ("note", "&n [a, b]\nnote2: *n", "line 2: aliases (*name) are not allowed"),
        ("id", "a" * 150, "id is longer than 100 characters"),
        ("lastUpdated", '"12/10/2999"', "lastUpdated: 12/10/2999 is in the future"),
        ("lastUpdated", "2999-01-01", "lastUpdated: 01/01/2999 is in the future"),
        ("lastUpdated", "2025-02-31", "line 3: '2025-02-31' is not a real date"),
        ("datePublished", "2025-13-01", "'2025-13-01' is not a real date"),
        ("datePublished", '"01/01/2998"', "datePublished: 01/01/2998 is in the future"),
    ],
)
def test_front_matter_values(
    project: Path, tmp_path: Path, capsys, key: str, value: str, message: str
) -> None:
    edit(project, set_key(key, value))
    assert build_html(project, tmp_path) == 1
    err = one_error(capsys)
    assert message in err and LEAFLET_ID in err


# -- layout: long words and wide tables -------------------------------------------------------


@pytest.mark.parametrize("columns", [6, 12])
def test_wide_table_is_refused(project: Path, tmp_path: Path, capsys, columns: int) -> None:
    header = "| " + " | ".join(f"Kolonne {n}" for n in range(columns)) + " |"
    rule = "|" + "---|" * columns
    row = "| " + " | ".join("Ballesmerter" for _ in range(columns)) + " |"
    edit(project, add_text(f"{header}\n{rule}\n{row}"))
    assert build_html(project, tmp_path) == 1
    err = one_error(capsys)
    assert f"a table of {columns} columns does not fit the page (at most 5)" in err


def _chars_off_page(pdf_path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        return [
            char["text"]
            for page in pdf.pages
            for char in page.chars
            if char["x1"] > page.width + 0.5 or char["x0"] < -0.5
        ]


@pytest.mark.parametrize(
    "text",
    [
        "Se " + "Smerte" + "x" * 294 + " her.",
        "| Årsag | Note |\n|---|---|\n| Iskias | " + "x" * 300 + " |",
    ],
    ids=["paragraph", "table-cell"],
)
def test_long_word_stays_on_the_page(project: Path, tmp_path: Path, capsys, text: str) -> None:
    edit(project, add_text(text))
    assert run_cli("build", "--project", project, "--lang", "da", "--out", tmp_path) == 0
    assert _chars_off_page(tmp_path / f"{LEAFLET_ID}.da.pdf") == []


def test_check_finds_text_off_the_page(tmp_path: Path, capsys) -> None:
    content = b"BT /F1 12 Tf 400 700 Td (Disse symptomer kan vaere tegn paa noget) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf = tmp_path / "off.pdf"
    pdf.write_bytes(_pdf(objects))
    assert run_cli("check", "--project", REPO, pdf) == 1
    assert "text runs off the page" in capsys.readouterr().err


def _pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF file of these objects (numbered from 1) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_check_refuses_thousands_of_pages(tmp_path: Path) -> None:
    count = 300
    kids = b" ".join(b"%d 0 R" % (4 + n) for n in range(count))
    content = b"BT /F1 12 Tf 100 700 Td (Side) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * count
    pdf = tmp_path / "pages.pdf"
    pdf.write_bytes(_pdf(objects))
    result = bounded_cli("check", "--project", REPO, pdf)
    assert result.returncode == 1
    assert "300 pages is more than the limit of 200" in result.stderr


# -- check: PDFs that decode to far more than they weigh -------------------------------------


def test_check_refuses_a_stream_bomb(tmp_path: Path) -> None:
    operators = b"0 0 m 1 1 l S\n" * (48 * 1024 * 1024 // 14)  # 48 MB of drawing operators
    packed = zlib.compress(operators, 9)
    assert len(packed) < 200_000
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream",
    ]
    pdf = tmp_path / "bomb.pdf"
    pdf.write_bytes(_pdf(objects))
    result = bounded_cli("check", "--project", REPO, pdf)
    assert result.returncode == 1
    assert "its streams decode to more than 16 MB" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_refuses_a_giant_picture(tmp_path: Path) -> None:
    image = b"\xff" * 64
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length 20 >>\nstream\nq 500 0 0 500 0 0 cm\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 60000 /Height 60000 /ColorSpace "
        b"/DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length 64 >>\nstream\n"
        + image
        + b"\nendstream",
    ]
    pdf = tmp_path / "picture.pdf"
    pdf.write_bytes(_pdf(objects))
    result = bounded_cli("check", "--project", REPO, pdf)
    assert result.returncode == 1
    assert "3600 million pixels is more than the limit of 25 million" in result.stderr


# -- images in Markdown -----------------------------------------------------------------------


def test_image_path_is_relative_to_the_leaflet(project: Path, tmp_path: Path, capsys) -> None:
    (project / "leaflets" / "ryg.png").write_bytes(png(40, 30))
    edit(project, add_text("![Ryggen](ryg.png)"))
    out = tmp_path / "out"
    assert run_cli("build", "--project", project, "--lang", "da", "--out", out) == 0, (
        capsys.readouterr().err
    )


@pytest.mark.parametrize(
    "image, message",
    [
        ("../ryg.png", "images must be in the folder of the leaflet"),
        ("../../ryg.png", "images must be in the folder of the leaflet"),
        ("https://example.com/x.png", "refused to fetch https://example.com/x.png"),
        ("mangler.png", "image 'mangler.png' not found"),
        ("halv.png", "image 'halv.png' is damaged or truncated"),
        ("kaempe.png", "has 12000×12000 pixels, more than the limit of 25 million"),
        ("ikke.png", "image 'ikke.png' is not a picture leaflet-gen can read"),
    ],
)
def test_markdown_images_are_checked_when_loaded(
    project: Path, tmp_path: Path, capsys, image: str, message: str
) -> None:
    (project / "ryg.png").write_bytes(png(40, 30))
    (project / "leaflets" / "halv.png").write_bytes(png(400, 300, truncate=True))
    (project / "leaflets" / "kaempe.png").write_bytes(png(12000, 12000))
    (project / "leaflets" / "ikke.png").write_bytes(b"just some text, not a picture")
    edit(project, add_text(f"![Ryggen]({image})"))
    assert build_html(project, tmp_path) == 1
    err = one_error(capsys)
    assert message in err and LEAFLET_ID in err


@pytest.mark.parametrize(
    "uri, message",
    [
        (data_uri(png(30000, 30000)), "has more pixels than the limit of 25 million"),
        (data_uri(png(10000, 10000)), "has 10000×10000 pixels, more than the limit of 25 million"),
        (data_uri(png(400, 300, truncate=True)), "is damaged or truncated"),
        (data_uri(jpeg(truncate=True), "image/jpeg"), "is damaged or truncated"),
        ("data:image/png;base64,!!!notbase64", "is not valid base64"),
    ],
    ids=["billion-pixels", "warning-range", "truncated-png", "truncated-jpeg", "base64"],
)
def test_data_images_in_markdown(project: Path, tmp_path: Path, uri: str, message: str) -> None:
    edit(project, add_text(f"![Billede]({uri})"))
    result = bounded_cli("build", "--project", project, "--lang", "da", "--out", tmp_path)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Warning" not in result.stderr and "Traceback" not in result.stderr


def test_translation_far_longer_than_the_danish_fails_its_check() -> None:
    from leaflet_gen.checks import check_translation

    problems = check_translation(("Hold 30 sekunder.",), ("Hold 30 seconds. " + "x " * 400,), "en")
    assert any("far longer than the Danish" in problem for problem in problems)


def test_translation_cannot_change_an_image(translated: Path) -> None:
    from leaflet_gen.checks import check_translation

    problems = check_translation(("Se ![ryg](ryg.png)",), ("See ![back](evil.png)",), "sv")
    assert "link targets differ" in problems


# -- exercises ------------------------------------------------------------------------------

EXERCISE = "leaflets/exercises/glute-bridge.md"


def test_two_exercise_files_with_one_id(project: Path, tmp_path: Path, capsys) -> None:
    plank = project / "leaflets/exercises/side-plank-knees.md"
    (project / "leaflets/exercises/zz-copy.md").write_text(
        plank.read_text(encoding="utf-8").replace("id: side-plank-knees", "id: glute-bridge"),
        encoding="utf-8",
    )
    assert build_html(project, tmp_path) == 1
    err = one_error(capsys)
    assert "zz-copy.md" in err and "glute-bridge.md" in err and "'glute-bridge'" in err


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("  reps: 10\n", "  reps: 100000000000000000000\n", "dosage: 100000000000000000000 rep"),
        ("  sets: 3\n", "  sets: 30\n", "dosage: 30 sets is outside 1–10"),
        ("  reps: 10\n", "  reps: 10\n  hold_seconds: 9900\n", "9900 seconds of hold is outside"),
        ("  per_day: 1\n", "  per_day: 99\n", "dosage: 99 times a day is outside 1–10"),
        ("title: \"Bækkenløft (glute bridge)\"", "title: [Bækkenløft]", "title: must be text"),
        ("caution: \"Stop", "caution: \"" + "meget " * 200 + "Stop", "caution is longer than 1000"),
        ("caution: \"Stop", "caution: \"\u202eStop", "bidi control U+202E"),
        ("purpose: \"Styrker", "purpose: \"Se ![x](x.png) Styrker", "images are only allowed"),
        ("id: glute-bridge", "id: Glute Bridge!", "must be lower-case letters"),
    ],
)
def test_exercise_file_values(
    project: Path, tmp_path: Path, capsys, old: str, new: str, message: str
) -> None:
    edit(project, lambda s: s.replace(old, new, 1), EXERCISE)
    assert build_html(project, tmp_path) == 1
    err = one_error(capsys)
    assert message in err and "glute-bridge.md" in err


def test_image_in_an_exercise_step_is_refused(project: Path, tmp_path: Path, capsys) -> None:
    edit(project, lambda s: re.sub(r"(?m)^1\. ", "1. ![x](x.png) ", s, count=1), EXERCISE)
    assert build_html(project, tmp_path) == 1
    assert "step: images are only allowed in a leaflet's text" in one_error(capsys)


# -- leaflets with one id -------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("build", "--lang", "da", "--format", "html", "--jobs", "1"),
        ("i18n", "extract"),
        ("check", "--lang", "da"),
    ],
    ids=["build", "extract", "check"],
)
def test_two_leaflets_with_one_id(project: Path, tmp_path: Path, capsys, command) -> None:
    original = project / SOURCE
    (project / "leaflets" / "kopi.md").write_text(
        original.read_text(encoding="utf-8").replace("Smerter i ballen", "Ondt i ballen"),
        encoding="utf-8",
    )
    extra = ("--out", tmp_path) if command[0] == "build" else ()
    assert run_cli(*command, "--project", project, *extra) == 1
    err = capsys.readouterr().err
    assert f"id '{LEAFLET_ID}' is also the id of" in err
    assert "kopi.md" in err and f"{LEAFLET_ID}.md" in err
    assert not list(tmp_path.glob("*.html"))


# -- dosage -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "request_, sets, reps, hold, per_day, side",
    [
        ("bird-dog:3x10", 3, 10, 5, 1, Side.BOTH),
        ("bird-dog:3x8,5s", 3, 8, 5, 1, Side.BOTH),
        ("bird-dog:12", 3, 12, 5, 1, Side.BOTH),
        ("bird-dog:2x20s", 2, 8, 20, 1, Side.BOTH),
        ("bird-dog:2/day,left,20s", 3, 8, 20, 2, Side.LEFT),
    ],
)
def test_dosage_parts_merge_with_the_default(request_, sets, reps, hold, per_day, side) -> None:
    (prescription,) = prescribe(Project.at(REPO), [request_])
    dosage = prescription.dosage
    assert (dosage.sets, dosage.reps, dosage.hold_seconds, dosage.per_day, dosage.side) == (
        sets, reps, hold, per_day, side,
    )  # fmt: skip


@pytest.mark.parametrize(
    "requests, message",
    [
        (["bird-dog:left,right"], "'right' gives the side again, after 'left'"),
        (["bird-dog:left,left"], "'left' gives the side again, after 'left'"),
        (["bird-dog:both,left"], "'left' gives the side again, after 'both'"),
        (["bird-dog:3x12,3x10"], "'3x10' gives the number of sets again, after '3x12'"),
        (["bird-dog:10,12"], "'12' gives the repetitions again, after '10'"),
        (["bird-dog:3x10,12"], "'12' gives the repetitions again, after '3x10'"),
        (["bird-dog:30s,3x40s"], "'3x40s' gives the hold again, after '30s'"),
        (["bird-dog:20s,30s"], "'30s' gives the hold again, after '20s'"),
        (["bird-dog:2/day,3/day"], "'3/day' gives the times a day again, after '2/day'"),
        (["glute-bridge:left"], "glute-bridge is not done on one side ('left' does not apply)"),
        (["sit-to-stand:3x10,right"], "sit-to-stand is not done on one side"),
        (["cat-camel:both"], "cat-camel is not done on one side ('both' does not apply)"),
        (["glute-bridge:3x12", "glute-bridge:2x10"], "glute-bridge is chosen twice"),
        (["bird-dog", "piriformis-stretch", "bird-dog:left"], "bird-dog is chosen twice"),
        (["bird-dog:999x9999"], "'999x9999': 999 sets is outside 1–10"),
        (["bird-dog:3x9999"], "'3x9999': 9999 repetitions is outside 1–100"),
        (["bird-dog:99/day"], "'99/day': 99 times a day is outside 1–10"),
        (["bird-dog:9900s"], "'9900s': 9900 seconds of hold is outside 1–600"),
        (["bird-dog:11x10"], "'11x10': 11 sets is outside 1–10"),
        (["bird-dog:3x101"], "'3x101': 101 repetitions is outside 1–100"),
        (["bird-dog:601s"], "'601s': 601 seconds of hold is outside 1–600"),
        (["bird-dog:11/day"], "'11/day': 11 times a day is outside 1–10"),
        (["bird-dog:3x100000"], "'3x100000': 100000 repetitions is outside 1–100"),
    ],
)
def test_dosage_errors_name_the_part(requests: list[str], message: str) -> None:
    with pytest.raises(LeafletError) as raised:
        prescribe(Project.at(REPO), requests)
    assert message in str(raised.value)


def test_handout_dosage_contradiction_is_a_usage_error(tmp_path: Path, capsys) -> None:
    out = tmp_path / "x.pdf"
    code = run_cli(
        "handout", LEAFLET_ID, "--project", REPO, "--patient", "A", "--out", out,
        "--exercise", "piriformis-stretch:3x30s,left,right",
    )  # fmt: skip
    assert code == 2 and "'right' gives the side again" in one_error(capsys)
    assert not out.exists()


# -- SVG: bombs, encodings, sizes ------------------------------------------------------------

SVG_NS = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'


def _use_bomb(levels: int = 9, copies: int = 10) -> str:
    groups = ['<g id="l0"><rect width="1" height="1"/></g>']
    for level in range(1, levels):
        uses = "".join(f'<use xlink:href="#l{level - 1}"/>' for _ in range(copies))
        groups.append(f'<g id="l{level}">{uses}</g>')
    return f"<svg {SVG_NS}><title>x</title><defs>{''.join(groups)}</defs>" \
        f'<use xlink:href="#l{levels - 1}"/></svg>'  # fmt: skip


UTF16_ENTITIES = (
    '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE svg [\n<!ENTITY a "aaaaaaaaaa">\n'
    + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">\n' for n in range(8))
    + f"]>\n<svg {SVG_NS}><title>&i;</title></svg>\n"
)


@pytest.mark.parametrize(
    "content, message",
    [
        (_use_bomb().encode(), "more than 20000 elements with every <use> expanded"),
        (UTF16_ENTITIES.encode("utf-16"), "is not UTF-8 (SVGs are read in UTF-8 only)"),
        (UTF16_ENTITIES.encode("utf-16-le"), "is not UTF-8"),
        (UTF16_ENTITIES.encode("utf-32"), "is not UTF-8"),
    ],
    ids=["nested-use", "utf16-bom", "utf16-no-bom", "utf32"],
)
def test_svg_logo_bombs_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    assert len(content) < 8_000
    (tmp_path / "logo.svg").write_bytes(content)
    (tmp_path / "clinic.toml").write_text('name = "K"\nlogo = "logo.svg"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = bounded_cli(
        "build", "--project", REPO, "--lang", "da", "--clinic", tmp_path / "clinic.toml",
        "--out", out,
    )  # fmt: skip
    assert result.returncode == 1
    assert message in result.stderr and "logo.svg" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "content, message",
    [
        (
            f'<svg {SVG_NS}><title>x</title><g id="a"><use xlink:href="#a"/></g></svg>',
            "a <use> that refers to itself",
        ),
        (
            f'<?xml version="1.0" encoding="ISO-8859-1"?><svg {SVG_NS}><title>x</title></svg>',
            "declares encoding ISO-8859-1",
        ),
        (
            f"<svg {SVG_NS}><title>x</title>" + '<rect width="1" height="1"/>' * 20_001 + "</svg>",
            "more than 20000 elements",
        ),
        (
            f"<svg {SVG_NS}><title>x</title>" + "<g>" * 3000 + "</g>" * 3000 + "</svg>",
            "nests its elements too deeply",
        ),
        (
            f"<svg {SVG_NS}><title>x</title><desc>" + "x" * (2 * 1024 * 1024) + "</desc></svg>",
            "SVG is larger than 2 MB",
        ),
    ],
    ids=["use-cycle", "latin-1", "elements", "depth", "size"],
)
def test_svg_limits(tmp_path: Path, content: str, message: str) -> None:
    from leaflet_gen.svg import check_svg

    svg = tmp_path / "picture.svg"
    svg.write_text(content, encoding="utf-8")
    with pytest.raises(SourceError, match=re.escape(message)):
        check_svg(svg)


# -- clinic profiles --------------------------------------------------------------------------


def _profile(tmp_path: Path, text: str) -> Path:
    profile = tmp_path / "clinic.toml"
    profile.write_text(text, encoding="utf-8")
    return profile


@pytest.mark.parametrize(
    "logo, content, message",
    [
        ("logo.png", png(400, 300, truncate=True), "logo 'logo.png' is damaged or truncated"),
        ("logo.jpg", jpeg(truncate=True), "logo 'logo.jpg' is damaged or truncated"),
        ("logo.png", png(20000, 20000), "has more pixels than the limit of 25 million"),
        ("logo.png", png(10000, 10000), "10000×10000 pixels, more than the limit of 25 million"),
        ("logo.png", png(6000, 5000), "6000×5000 pixels, more than the limit of 25 million"),
    ],
    ids=["truncated-png", "truncated-jpeg", "bomb", "warning-range", "just-over"],
)
def test_raster_logos(tmp_path: Path, logo: str, content: bytes, message: str) -> None:
    (tmp_path / logo).write_bytes(content)
    profile = _profile(tmp_path, f'name = "K"\nlogo = "{logo}"\n')
    result = bounded_cli(
        "build", "--project", REPO, "--lang", "da", "--clinic", profile, "--out", tmp_path / "o"
    )
    assert result.returncode == 1
    assert message in result.stderr and "clinic.toml" in result.stderr
    assert "Warning" not in result.stderr and "Traceback" not in result.stderr


def test_clinic_profile_size(tmp_path: Path, capsys) -> None:
    profile = _profile(tmp_path, 'name = "K"\n' + "# kommentar\n" * 100_000)
    assert run_cli("build", "--project", REPO, "--clinic", profile, "--out", tmp_path) == 1
    assert "clinic profile is larger than 1 MB" in one_error(capsys)


@pytest.mark.parametrize(
    "line, message",
    [
        ('name = "' + "Fysioterapi " * 400 + '"', "name is longer than 200 characters"),
        ('name = "K"\naddress = "' + "Vej 1, " * 300 + '"', "address is longer than 1000"),
        ('name = "K"\nphone = "' + "1" * 300 + '"', "phone is longer than 200"),
        ('name = "K"\nwebsite = "https://x.example/' + "a" * 3000 + '"', "website is longer"),
        ('name = "K"\nwebsite = "https://x.example/' + "a" * 250 + '"', "website is longer"),
        ('name = "Fysio \u202eNørrebro"', "name contains a bidi control U+202E"),
        ('name = "K"\nphone = "35 \u2066 12"', "phone contains a bidi control U+2066"),
        ('name = "K"\nemail = "a@b.dk\\u001b[2J"', "email contains a control character U+001B"),
    ],
)
def test_clinic_fields(tmp_path: Path, capsys, line: str, message: str) -> None:
    profile = _profile(tmp_path, line + "\n")
    code = run_cli("build", "--project", REPO, "--lang", "da", "--clinic", profile,
                   "--out", tmp_path / "o")  # fmt: skip
    assert code == 1
    err = one_error(capsys)
    assert message in err and "clinic.toml" in err


# -- catalogues -------------------------------------------------------------------------------


def _de_catalogue(project: Path, domain: str = LEAFLET_ID) -> Path:
    return project / "locales" / "de" / "LC_MESSAGES" / f"{domain}.po"


def test_latin1_declared_catalogue_with_utf8_bytes(project: Path, tmp_path: Path, capsys) -> None:
    path = _de_catalogue(project)
    path.write_bytes(path.read_bytes().replace(b"charset=UTF-8", b"charset=ISO-8859-1", 1))
    assert run_cli("i18n", "check", "--project", project) == 1
    err = capsys.readouterr().err
    assert "declares charset ISO-8859-1: catalogues must be UTF-8" in err
    assert "stale" not in err


def test_catalogue_not_utf8(project: Path, capsys) -> None:
    path = _de_catalogue(project)
    path.write_bytes(path.read_bytes().replace(b"Smerter", b"Sm\xe6rter", 1))
    assert run_cli("i18n", "stats", "--project", project) == 1
    assert re.search(r"line \d+: the catalogue is not valid UTF-8", one_error(capsys))


def test_oversized_catalogue_is_refused_unread(project: Path) -> None:
    path = _de_catalogue(project)
    padding = b"".join(b"# %06d %s\n" % (n, b"x" * 90) for n in range(60_000))
    path.write_bytes(path.read_bytes() + padding)
    assert path.stat().st_size > 5 * 1024 * 1024
    result = bounded_cli("i18n", "stats", "--project", project)
    assert result.returncode == 1
    assert "catalogue is larger than 5 MB" in result.stderr and "de/LC_MESSAGES" in result.stderr


@pytest.mark.parametrize(
    "control", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u202a", "\x00", "\x1b"]
)
def test_bidi_control_in_a_safety_translation_withholds(
    project: Path, tmp_path: Path, capsys, control: str
) -> None:
    store = read_po(project, "de", LEAFLET_ID)
    entry = next(e for e in store.units if (e.getcontext() or "").startswith("red_flags.p."))
    entry.target = entry.target.replace("48", f"{control}48", 1) if "48" in entry.target \
        else control + entry.target  # fmt: skip
    write_po(project, "de", LEAFLET_ID, store)
    code = run_cli("build", "--project", project, "--lang", "de", "--draft", "--format", "html",
                   "--jobs", "1", "--out", tmp_path)  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "withheld" in err
    assert f"U+{ord(control):04X}" in err and "red_flags.p." in err
    assert not list(tmp_path.glob("*.html"))


def test_bidi_control_reported_by_i18n_check(project: Path, capsys) -> None:
    store = read_po(project, "ar", "ui")
    entry = next(e for e in store.units if e.getcontext() == "side.left")
    entry.target = "\u202e" + str(entry.target)
    write_po(project, "ar", "ui", store)
    assert run_cli("i18n", "check", "--project", project) == 1
    err = capsys.readouterr().err
    assert "side.left" in err and "bidi control U+202E" in err


def test_limits_are_what_readme_says() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Limits and safety") :]
    for figure in ("1 MB", "5 MB", "2 MB", "20 000", "25 million", "200", "1000", "16 MB"):
        assert figure in section, figure
