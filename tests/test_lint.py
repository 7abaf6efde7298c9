"""The source lint of `leaflet-gen check`: red-flag sections, roles, exercise names and dates,
each problem with its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import REPO, SEED, run_cli
from test_import import ARTICLES, ORIGINAL

from leaflet_gen.exercises import load_library
from leaflet_gen.importer import propose
from leaflet_gen.lint import lint


@pytest.fixture(scope="module")
def library():
    full = load_library(REPO / "leaflets" / "exercises")
    return {key: exercise for key, exercise in full.items() if key in ORIGINAL}


def _line(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``path`` that contains ``text``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def _problems(path: Path, library) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in lint(path, library)]


def _imported(name: str, tmp_path: Path, library) -> Path:
    path = tmp_path / name
    shutil.copy(ARTICLES / name, path)
    propose(path, library).write()
    return path


def test_seed_verbatim_fails_at_its_red_flag_heading(library) -> None:
    [(line, message)] = _problems(SEED, library)
    assert line == 40 == _line(SEED, "## Hvornår skal jeg søge læge eller akut hjælp?")
    assert message.startswith("«Hvornår skal jeg søge læge eller akut hjælp?» looks like red "
                              "flags (the heading says «søge læge»; the text says «cauda equina» "
                              "(line 42)")
    assert "make it the red_flags role" in message


def test_project_leaflet_passes() -> None:
    library = load_library(REPO / "leaflets" / "exercises")
    assert lint(REPO / "leaflets" / "smerter-i-ballen-og-ned-i-benet.md", library) == []


@pytest.mark.parametrize(
    ("name", "where", "says"),
    [
        ("knaesmerter.md", "prøve vægsquat", "«vægsquat» names an exercise the library does not"),
        ("nakkesmerter.md", "Hageindtræk, hvor", "«Hageindtræk» names an exercise"),
        ("skuldersmerter.md", "Start med penduløvelsen", "«penduløvelsen» names an exercise"),
        (
            "laendesmerter.md",
            "## Sygemelding og kontakt til egen læge",
            "«Sygemelding og kontakt til egen læge» looks like red flags (the heading says "
            "«kontakt til egen læge»; the text says «Kontakt din egen læge» (line 36), «med det "
            "samme» (line 36)) but is not the red_flags role, so it would print unboxed and not "
            "safety-critical: move it into «Red flags: hvornår er det alvorligt?» (the "
            "red_flags role), or list it under not_red_flags if it is not one",
        ),
    ],
)
def test_imported_articles_leave_what_a_person_must_decide(
    name: str, where: str, says: str, library, tmp_path: Path
) -> None:
    path = _imported(name, tmp_path, library)
    [(line, message)] = _problems(path, library)
    assert line == _line(path, where)
    assert message.startswith(says)


def test_a_person_can_say_what_is_not_red_flags_or_not_in_the_library(
    library, tmp_path: Path
) -> None:
    path = _imported("laendesmerter.md", tmp_path, library)
    text = path.read_text(encoding="utf-8").replace(
        "\n---\n",
        '\nnot_red_flags: ["Sygemelding og kontakt til egen læge"]\n---\n',
        1,
    )
    path.write_text(text, encoding="utf-8")
    assert _problems(path, library) == []
    knee = _imported("knaesmerter.md", tmp_path, library)
    text = knee.read_text(encoding="utf-8")
    knee.write_text(text.replace("\n---\n", "\nexercises_not_in_library: [vægsquat]\n---\n", 1),
                    encoding="utf-8")
    assert _problems(knee, library) == []


def test_front_matter_mistakes_each_with_their_line(library, tmp_path: Path) -> None:
    path = _imported("knaesmerter.md", tmp_path, library)
    text = path.read_text(encoding="utf-8")
    text = text.replace('lastUpdated: "03/11/2025"\n', 'lastUpdated: "2025-11-03"\n')
    text = text.replace('  faq: "Ofte stillede spørgsmål om knæsmerter"',
                        '  faq: "Ofte stillede spørgsmål"\n  tips: "Hvad kan jeg selv gøre?"')
    text = text.replace("  - hamstring-stretch\n", "  - hamstring-strech\n")
    text = text.replace("\n---\n", '\nnot_red_flags: ["Hvad kan jeg gøre?"]\n'
                        "exercises_not_in_library: [vægsquat]\n---\n", 1)
    path.write_text(text, encoding="utf-8")
    assert _problems(path, library) == [
        (3, "lastUpdated: '2025-11-03' is not a day-first date like 12/10/2025"),
        (_line(path, "  faq:"), "roles: faq: no heading «Ofte stillede spørgsmål» in the text; "
         "did you mean «Ofte stillede spørgsmål om knæsmerter»?"),
        (_line(path, "  tips:"), "roles: unknown role 'tips' (known: causes, exercises, "
         "red_flags, faq)"),
        (_line(path, "hamstring-strech"), "exercises: 'hamstring-strech' is not in the library; "
         "did you mean hamstring-stretch?"),
        (_line(path, "not_red_flags"), "not_red_flags: no heading «Hvad kan jeg gøre?» in the "
         "text; did you mean «Hvad kan jeg selv gøre?»?"),
    ]
    path.write_text(text.replace('lastUpdated: "2025-11-03"\n', ""), encoding="utf-8")
    assert _problems(path, library)[0] == (
        1, "no lastUpdated date in the front matter (day-first, like 12/10/2025)"
    )


def test_a_red_flag_question_inside_the_faq_is_named(library, tmp_path: Path) -> None:
    path = _imported("knaesmerter.md", tmp_path, library)
    text = path.read_text(encoding="utf-8").replace("vægsquat", "en øvelse") + (
        "\n### Hvad hvis knæet bliver hævet efter en operation?\n"
        "Ring til afdelingen eller 1813 samme dag, hvis knæet bliver rødt, varmt og hævet.\n"
    )
    path.write_text(text, encoding="utf-8")
    [(line, message)] = _problems(path, library)
    assert line == _line(path, "### Hvad hvis knæet bliver hævet")
    assert "the text says «1813»" in message and "move it into «Hvornår skal du søge læge?»" \
        in message


def test_check_source_on_the_command_line(tmp_path: Path, capsys) -> None:
    assert run_cli("check", "--project", REPO, "--source") == 0
    out = capsys.readouterr().out
    assert "ok " in out and "source: 1 passed, 0 failed" in out
    assert run_cli("check", "--project", REPO, "--source", SEED) == 1
    err = capsys.readouterr().err
    assert f"{SEED.relative_to(Path.cwd()) if SEED.is_relative_to(Path.cwd()) else SEED}:40: " \
        "«Hvornår skal jeg søge læge eller akut hjælp?» looks like red flags" in err
    assert run_cli("check", "--project", REPO, "--source", tmp_path / "x.pdf") == 2
