"""`leaflet-gen import`: proposed id, roles and exercises for articles as a clinic exports them,
written into the front matter without changing any other byte."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import frontmatter
import pytest
from conftest import LEAFLET_ID, REPO, SEED, run_cli

from leaflet_gen.article import Block, ExerciseNames
from leaflet_gen.exercises import load_library
from leaflet_gen.importer import ADDED_BY, propose

ARTICLES = REPO / "tests" / "fixtures" / "articles"
# The articles were written against these exercises; the library grows, so they are matched
# against these alone (an exercise added later could answer to a name they use).
ORIGINAL = {
    "bird-dog", "cat-camel", "glute-bridge", "hamstring-stretch", "hip-flexor-stretch",
    "knee-to-chest", "lying-sciatic-nerve-glide", "piriformis-stretch", "prone-press-up",
    "seated-nerve-glide", "side-lying-clamshell", "side-plank-knees", "sit-to-stand",
}


@pytest.fixture(scope="module")
def library():
    full = load_library(REPO / "leaflets" / "exercises")
    return {key: exercise for key, exercise in full.items() if key in ORIGINAL}


def _proposed(path: Path, library) -> tuple[dict, list, list]:
    proposal = propose(path, library)
    roles = {c.key: c.value for c in proposal.roles if c.value}
    return roles, [m.exercise for m in proposal.exercises], [m.words for m in proposal.unknown]


def test_seed_verbatim_gets_exactly_what_the_project_declares(tmp_path: Path) -> None:
    """The whole library: what the project's own copy says is what import finds."""
    declared = frontmatter.load(REPO / "leaflets" / f"{LEAFLET_ID}.md").metadata
    proposal = propose(SEED, load_library(REPO / "leaflets" / "exercises"))
    assert proposal.id.value == declared["id"]
    assert {c.key: c.value for c in proposal.roles if c.value} == declared["roles"]
    assert [m.exercise for m in proposal.exercises] == declared["exercises"]
    assert proposal.unknown == []
    copy = tmp_path / "article.md"
    shutil.copy(SEED, copy)
    assert run_cli("import", "--project", REPO, copy, "--write") == 0
    written = frontmatter.load(copy).metadata
    assert {k: written[k] for k in ("id", "roles", "exercises")} == {
        k: declared[k] for k in ("id", "roles", "exercises")
    }


# What each test article is, and what a physiotherapist reading it would declare.
CASES = {
    # a cause table with 4 columns, an FAQ, a name the library lacks (vægsquat)
    "knaesmerter.md": (
        {
            "causes": "Hvorfor får man ondt i knæet?",
            "exercises": "Øvelser mod knæsmerter",
            "red_flags": "Hvornår skal du søge læge?",
            "faq": "Ofte stillede spørgsmål om knæsmerter",
        },
        ["sit-to-stand", "hamstring-stretch"],
        ["vægsquat"],
    ),
    # no table; red flags only in the text (112, chest pain); questions under a plain heading
    "skuldersmerter.md": (
        {
            "exercises": "Sådan kommer du i gang med træningen",
            "red_flags": "Tegn på, at du skal have hjælp hurtigt",
            "faq": "Spørg fysioterapeuten",
        },
        [],
        ["penduløvelsen"],
    ),
    # no FAQ; red flags headed "Advarselstegn" (lægevagten, 1813, skadestuen)
    "nakkesmerter.md": (
        {
            "causes": "Hvorfor får man ondt i nakken?",
            "exercises": "Gode øvelser til nakken",
            "red_flags": "Advarselstegn",
        },
        ["cat-camel"],
        ["Hageindtræk"],
    ),
    # English loanwords (bird dog-øvelsen, cat camel, knee to chest, side plank, press-ups),
    # "Red flags" as heading, and a section about one's own doctor that is not red flags
    "laendesmerter.md": (
        {
            "causes": "Årsager til lændesmerter",
            "exercises": "Core-træning og øvelser",
            "red_flags": "Red flags: hvornår er det alvorligt?",
            "faq": "FAQ",
        },
        ["bird-dog", "cat-camel", "knee-to-chest", "side-plank-knees", "prone-press-up"],
        [],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_articles_of_different_shapes(name: str, library) -> None:
    roles, exercises, unknown = CASES[name]
    assert _proposed(ARTICLES / name, library) == (roles, exercises, unknown)


def test_each_role_says_which_heading_and_why(library) -> None:
    proposal = propose(ARTICLES / "skuldersmerter.md", library)
    text = proposal.diff()
    assert "+id: ondt-i-skulderen" in text
    assert '+  red_flags: "Tegn på, at du skal have hjælp hurtigt"' in text
    assert (
        "red_flags  «Tegn på, at du skal have hjælp hurtigt» (line 18): the text says «112»"
        in text
    )
    assert "causes     none: no table whose header names causes" in text
    assert "«penduløvelsen» (line 16) names an exercise the library does not have" in text


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_write_changes_no_other_byte(name: str, newline: str, library, tmp_path: Path) -> None:
    original = (ARTICLES / name).read_text(encoding="utf-8").replace("\n", newline)
    original = original.rstrip(newline)  # and no line break at the end
    path = tmp_path / name
    path.write_bytes(original.encode("utf-8"))
    path.chmod(0o664)
    assert propose(path, library).write()
    written = path.read_bytes().decode("utf-8")
    lines = written.split(newline)
    start = lines.index(ADDED_BY)
    end = lines.index("---", start)
    assert newline.join(lines[:start] + lines[end:]) == original
    assert all(not line.endswith("\r") for line in lines)  # one kind of line break
    meta = frontmatter.loads(written).metadata
    assert meta["roles"] == CASES[name][0] and meta["id"] == propose(path, library).id.value
    assert stat.S_IMODE(path.stat().st_mode) == 0o664
    assert not propose(path, library).write()  # a second run adds nothing


def test_keys_a_person_set_are_kept(library, tmp_path: Path, capsys) -> None:
    text = (ARTICLES / "knaesmerter.md").read_text(encoding="utf-8")
    path = tmp_path / "knae.md"
    path.write_text(
        text.replace(
            'datePublished: "20/10/2025"\n',
            'datePublished: "20/10/2025"\nid: knae\nroles:\n'
            '  red_flags: "Hvornår skal du søge læge?"  # checked by Karen\n',
        ),
        encoding="utf-8",
    )
    before = path.read_text(encoding="utf-8")
    assert run_cli("import", "--project", REPO, path, "--write") == 0
    out = capsys.readouterr().out
    after = path.read_text(encoding="utf-8")
    # The whole library: the article's "vægsquat" is the library's wall squat.
    added = "exercises:\n  - sit-to-stand\n  - wall-squat\n  - hamstring-stretch\n"
    assert after.replace(f"{ADDED_BY}\n{added}", "") == before
    assert "kept       id: knae (as set; the title gives knaesmerter)" in out
    assert "kept       roles: causes as set (proposed: «Hvorfor får man ondt i knæet?»)" in out
    assert "wrote" in out


def test_without_write_nothing_changes(tmp_path: Path, capsys) -> None:
    path = tmp_path / "article.md"
    shutil.copy(SEED, path)
    assert run_cli("import", "--project", REPO, path) == 0
    assert path.read_bytes() == SEED.read_bytes()
    out = capsys.readouterr().out
    assert out.startswith(f"--- {path}\n+++ {path} (proposed)\n")
    assert "+  - seated-nerve-glide" in out


def test_an_article_without_front_matter_is_refused(tmp_path: Path, capsys) -> None:
    path = tmp_path / "plain.md"
    path.write_text("# Knæ\n\nTekst.\n", encoding="utf-8")
    assert run_cli("import", "--project", REPO, path) == 1
    assert "no YAML front matter" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Lav bækkenløftet tre gange.", ["glute-bridge"]),
        ("Nerveglidningsøvelser hjælper.", ["seated-nerve-glide"]),
        ("Prøv glute bridges og clamshells.", ["glute-bridge", "side-lying-clamshell"]),
        ("Liggende nerveglidning er blidere.", ["lying-sciatic-nerve-glide"]),
        ("Træk knæet til brystet.", ["knee-to-chest"]),
        ("Sideplanken er svær.", ["side-plank-knees"]),
        ("Nerveglidningsprøver viser det.", []),  # a test, not the exercise
        ("Piriformis syndrom trykker på nerven.", []),  # the muscle, not its stretch
    ],
)
def test_exercise_names_inflected_whole_words(text: str, found: list[str], library) -> None:
    mentions = ExerciseNames(library).find(Block(1, text))
    assert [m.exercise for m in mentions] == found


def test_build_of_an_article_outside_the_project_says_once_what_was_skipped(
    tmp_path: Path, capsys
) -> None:
    article = tmp_path / "knaesmerter.md"
    shutil.copy(ARTICLES / "knaesmerter.md", article)
    out = tmp_path / "out"
    out.mkdir()
    (out / "knaesmerter.de.pdf").write_bytes(b"an old copy")
    assert run_cli("build", "--project", REPO, article, "--out", out) == 0
    captured = capsys.readouterr()
    problems = captured.err.strip().splitlines()
    assert problems == [
        "leaflet-gen: skipped: knaesmerter: no catalogue in ar, de, en, pl, tr, uk yet (to "
        f"translate it, put it in {REPO / 'leaflets'} and run `leaflet-gen i18n update`)"
    ]
    assert "[1/1] built" in captured.out and "[7/7]" not in captured.out
    assert not (out / "knaesmerter.de.pdf").exists()  # withdrawn, as any document not built
    assert run_cli("build", "--project", REPO, article, "--out", out, "--lang", "de") == 1
    assert "knaesmerter.de: no catalogue in de yet" in capsys.readouterr().err


def test_exercises_named_outside_the_exercise_section_are_shown_not_proposed(
    library, tmp_path: Path
) -> None:
    """A name outside the exercise section may be a test or a movement ("straight leg raise"
    in a diagnosis); without an exercise section the whole text counts."""
    text = (ARTICLES / "knaesmerter.md").read_text(encoding="utf-8").replace(
        "Cykling og gang på flad vej er ofte fint.",
        "Cykling, gang på flad vej og bækkenløft er ofte fint.",
    )
    path = tmp_path / "knae.md"
    path.write_text(text, encoding="utf-8")
    proposal = propose(path, library)
    assert [m.exercise for m in proposal.exercises] == ["sit-to-stand", "hamstring-stretch"]
    assert [(m.exercise, m.line) for m in proposal.elsewhere] == [("glute-bridge", 22)]
    assert "elsewhere  glute-bridge: «bækkenløft» (line 22) is outside the exercise section" \
        in proposal.diff()
    neck = tmp_path / "nakke.md"
    neck.write_text(
        (ARTICLES / "nakkesmerter.md").read_text(encoding="utf-8").replace(
            "## Gode øvelser til nakken", "## Gode råd til nakken"
        ),
        encoding="utf-8",
    )
    roles, exercises, _ = _proposed(neck, library)
    assert "exercises" not in roles and exercises == ["cat-camel"]
