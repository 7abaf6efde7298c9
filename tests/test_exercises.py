"""The exercise library: every file validates, every SVG is safe, cards reach the PDF."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pypdf
import pytest
from conftest import LEAFLET_ID, REPO, pdf_text, run_cli, squash

from leaflet_gen.errors import SourceError
from leaflet_gen.exercises import find, load_exercise, load_library
from leaflet_gen.illustrations import figure_folder
from leaflet_gen.svg import check_svg

EXERCISES = REPO / "leaflets" / "exercises"
SEED_EXERCISES = [
    "seated-nerve-glide",
    "piriformis-stretch",
    "glute-bridge",
    "side-lying-clamshell",
]
# The knee, hip, ankle and low-back exercises a clinic's articles name: id → (regions, kind,
# equipment).
LOWER_BODY = {
    "step-down": ({"knee", "hip"}, "strength", {"step"}),
    "side-lying-leg-raise": ({"hip", "knee"}, "strength", {"mat"}),
    "wall-squat": ({"knee", "hip"}, "strength", {"wall"}),
    "calf-raise": ({"ankle"}, "strength", {"none"}),
    "straight-leg-raise": ({"knee", "hip"}, "strength", {"mat"}),
    "heel-slide": ({"knee"}, "mobility", {"mat"}),
    "terminal-knee-extension": ({"knee"}, "strength", {"band"}),
    "single-leg-balance": ({"ankle", "knee", "hip"}, "balance", {"none"}),
    "dead-bug": ({"lower-back", "hip"}, "strength", {"mat"}),
    "quad-set": ({"knee"}, "strength", {"towel", "mat"}),
    "calf-stretch": ({"ankle"}, "stretch", {"wall"}),
    "seated-knee-extension": ({"knee"}, "strength", {"chair"}),
    "pelvic-tilt": ({"lower-back"}, "mobility", {"mat"}),
    "ankle-circles": ({"ankle"}, "mobility", {"none"}),
}


def test_library_has_at_least_twenty_seven_valid_exercises() -> None:
    library = load_library(EXERCISES)
    assert len(library) >= 27
    assert set(SEED_EXERCISES) <= set(library) and set(LOWER_BODY) <= set(library)
    for exercise in library.values():
        assert 3 <= len(exercise.steps) <= 6
        assert exercise.caution.safety and exercise.caution.text
        assert exercise.dosage.reps or exercise.dosage.hold_seconds


@pytest.mark.parametrize(
    "svg",
    [e.illustration for e in load_library(EXERCISES).values()],
    ids=lambda p: p.stem[:8],
)
def test_every_svg_is_self_contained_with_title(svg: Path) -> None:
    root = check_svg(svg, need_title=True)
    for element in root.iter():
        assert element.tag.rsplit("}", 1)[-1] != "text", "no words baked into the picture"
        for name, value in element.attrib.items():
            if name.endswith("href"):
                assert value.startswith("#")
    ET.parse(svg)


@pytest.mark.parametrize(
    "payload, reason",
    [
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><title>x</title><script>alert(1)</script></svg>',
            "<script>",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" onload="x()"><title>x</title></svg>',
            "event handler",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            '<title>x</title><image xlink:href="http://evil.example/x.png"/></svg>',
            "external",
        ),
        (
            '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]>'
            '<svg xmlns="http://www.w3.org/2000/svg"><title>&a;</title></svg>',
            "entity",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><title>x</title>'
            '<rect style="fill:url(file:///etc/passwd)"/></svg>',
            "external",
        ),
    ],
)
def test_unsafe_svg_refused(tmp_path: Path, payload: str, reason: str) -> None:
    svg = tmp_path / "bad.svg"
    svg.write_text(payload, encoding="utf-8")
    with pytest.raises(SourceError, match=reason):
        check_svg(svg)


HAND_DRAWN = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>Bro</title>'
    '<circle cx="5" cy="5" r="4"/></svg>'
)


def _exercise_copy(tmp_path: Path, exercise_id: str, change) -> Path:
    source = EXERCISES / f"{exercise_id}.md"
    (tmp_path / "own.svg").write_text(HAND_DRAWN, encoding="utf-8")
    copy = tmp_path / source.name
    copy.write_text(change(source.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def _without_figure(text: str, instead: str = "") -> str:
    """The exercise's front matter with its ``figure:`` block replaced by ``instead``."""
    head, _, rest = text.partition("figure:\n")
    return head + instead + rest[rest.index("---\n") :]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda t: t.split("\n1. ")[0], "numbered list"),
        (lambda t: t.replace("dosage:", "dosering:"), "dosage"),
        (_without_figure, "has no figure"),
        (lambda t: _without_figure(t, "illustration: ../x.svg\n"), "not found"),
        (lambda t: t.replace("left_knee:", "left_kne:"), "figure.poses.finish.joints.left_kne"),
        (lambda t: t.replace("regions: [lower-back, hip]", "regions: [elbow]"),
         "regions: 'elbow' is not one of lower-back"),
        (lambda t: t.replace("equipment: [mat]", "equipment: [trampoline]"),
         "equipment: 'trampoline' is not one of"),
        (lambda t: t.replace("kind: strength", "kind: cardio"), "kind: 'cardio'"),
        (lambda t: t.replace("difficulty: 1", "difficulty: 9"), "difficulty: '9'"),
        (lambda t: re.sub(r"aliases: .*", "aliases: broen", t), "aliases: must be a list"),
        (lambda t: t.replace("kind: strength\n", ""), "has no kind"),
    ],
)
def test_incomplete_exercise_refused(tmp_path: Path, change, message: str) -> None:
    path = _exercise_copy(tmp_path, "glute-bridge", change)
    with pytest.raises(SourceError, match=message):
        load_exercise(path)


def test_a_hand_drawn_illustration_still_works(tmp_path: Path) -> None:
    path = _exercise_copy(
        tmp_path, "glute-bridge", lambda t: _without_figure(t, "illustration: own.svg\n")
    )
    exercise = load_exercise(path)
    assert exercise.illustration == exercise.illustration_rtl == (tmp_path / "own.svg").resolve()


def test_drawn_pictures_come_from_the_cache_and_read_right_to_left(tmp_path: Path) -> None:
    exercise = load_exercise(EXERCISES / "glute-bridge.md")
    assert exercise.illustration.parent == figure_folder()
    assert exercise.illustration != exercise.illustration_rtl
    again = load_exercise(EXERCISES / "glute-bridge.md")
    assert again.illustration == exercise.illustration  # same data, same picture


def test_unknown_exercise_suggests_closest() -> None:
    with pytest.raises(SourceError, match="glute-bridge"):
        find("glute-brigde", load_library(EXERCISES))


def test_leaflet_naming_unknown_exercise(project: Path, tmp_path: Path, capsys) -> None:
    source = project / "leaflets" / f"{LEAFLET_ID}.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("  - glute-bridge\n", "  - glute-brige\n"),
        encoding="utf-8",
    )
    assert run_cli("build", "--project", project, "--lang", "da", "--out", tmp_path) == 1
    err = capsys.readouterr().err
    assert "unknown exercise 'glute-brige'" in err and "glute-bridge" in err


def test_seed_pdf_holds_the_four_exercise_cards(built: Path) -> None:
    text = pdf_text(built / f"{LEAFLET_ID}.da.pdf")
    library = load_library(EXERCISES)
    for exercise_id in SEED_EXERCISES:
        exercise = library[exercise_id]
        assert exercise.title.text in text
        for step in exercise.steps:
            assert step.text in text, step.text
    assert "Dosering: 3 sæt × 10 gentagelser, 1 gang dagligt" in text
    assert library["sit-to-stand"].title.text not in text


def test_exercises_command_lists_library(capsys) -> None:
    assert run_cli("exercises", "--project", REPO) == 0
    out = capsys.readouterr().out
    assert "glute-bridge" in out and "Bækkenløft" in out and "3 sæt × 10 gentagelser" in out


@pytest.mark.parametrize(
    "filters, expected",
    [
        (["--region", "knee"], {
            "hamstring-stretch", "sit-to-stand", "step-down", "side-lying-leg-raise", "wall-squat",
            "straight-leg-raise", "heel-slide", "terminal-knee-extension", "single-leg-balance",
            "quad-set", "seated-knee-extension"}),
        (["--kind", "nerve-mobility"], {"seated-nerve-glide", "lying-sciatic-nerve-glide"}),
        (["--region", "knee", "--kind", "strength"], {
            "sit-to-stand", "step-down", "side-lying-leg-raise", "wall-squat", "straight-leg-raise",
            "terminal-knee-extension", "quad-set", "seated-knee-extension"}),
        (["--equipment", "chair", "--kind", "stretch", "--region", "hip,knee"],
         {"hamstring-stretch"}),
        (["--equipment", "chair", "--kind", "stretch", "--region", "shoulder"],
         {"upper-trapezius-stretch", "cross-body-stretch"}),  # "none" is at hand anywhere
        (["--region", "knee,lower-back", "--equipment", "chair"],
         {"hamstring-stretch", "sit-to-stand", "seated-nerve-glide", "seated-knee-extension",
          "single-leg-balance"}),
        (["--region", "ankle"],
         {"calf-raise", "calf-stretch", "single-leg-balance", "ankle-circles"}),
        (["--region", "knee", "--equipment", "step,band"],
         {"step-down", "terminal-knee-extension", "single-leg-balance"}),
    ],
)
def test_exercises_filter_by_region_kind_and_equipment(capsys, filters, expected) -> None:
    assert run_cli("exercises", "--project", REPO, "--json", *filters) == 0
    shown = json.loads(capsys.readouterr().out)
    assert {row["id"] for row in shown} == expected
    for row in shown:
        assert set(row) >= {"regions", "kind", "equipment", "difficulty", "aliases", "dosage"}


def test_unknown_filter_word_is_a_usage_error(capsys) -> None:
    assert run_cli("exercises", "--project", REPO, "--region", "elbow") == 2
    assert "--region 'elbow' is not one of lower-back" in capsys.readouterr().err


def test_the_seed_names_its_exercises_by_their_aliases() -> None:
    """The article's own words for its four exercises are aliases of exactly those cards."""
    text = (REPO / "leaflets" / f"{LEAFLET_ID}.md").read_text(encoding="utf-8").casefold()
    named = {
        exercise.id
        for exercise in load_library(EXERCISES).values()
        if any(alias in text for alias in exercise.tags.aliases)
    }
    assert named >= set(SEED_EXERCISES) - {"seated-nerve-glide"}
    assert "nerveglidning" in load_library(EXERCISES)["seated-nerve-glide"].tags.aliases


def test_the_lower_body_exercises_carry_their_metadata() -> None:
    library = load_library(EXERCISES)
    for exercise_id, (regions, kind, equipment) in LOWER_BODY.items():
        tags = library[exercise_id].tags
        assert (set(tags.regions), tags.kind, set(tags.equipment)) == (regions, kind, equipment)
        assert tags.difficulty in (1, 2, 3) and tags.aliases, exercise_id
    for region in ("lower-back", "hip", "knee", "ankle"):
        assert sum(region in e.tags.regions for e in library.values()) >= 4, region
    assert {e.tags.kind for e in library.values()} >= {"mobility", "stretch", "strength",
                                                       "nerve-mobility", "balance"}


@pytest.mark.parametrize(
    "text, exercise_id",
    [
        ("Lav step-down fra et trappetrin", "step-down"),
        ("sideliggende benløft og vægsquat", "side-lying-leg-raise"),
        ("sideliggende benløft og vægsquat", "wall-squat"),
        ("tåhævninger på en trappe", "calf-raise"),
        ("hælglid efter operationen", "heel-slide"),
        ("statisk lårmuskelspænding", "quad-set"),
        ("bækkenvip i liggende", "pelvic-tilt"),
    ],
)
def test_an_article_names_a_lower_body_exercise_by_its_alias(text: str, exercise_id: str) -> None:
    library = load_library(EXERCISES)
    named = {e.id for e in library.values() if any(a in text.casefold() for a in e.tags.aliases)}
    assert exercise_id in named
    assert named <= set(LOWER_BODY), named


def test_the_straight_leg_raise_test_is_not_the_exercise() -> None:
    """The seed names the diagnostic "straight leg raise (løft af strakt ben)"; no card for it."""
    text = (REPO / "leaflets" / f"{LEAFLET_ID}.md").read_text(encoding="utf-8").casefold()
    assert "straight leg raise (løft af strakt ben)" in text
    aliases = load_library(EXERCISES)["straight-leg-raise"].tags.aliases
    assert not any(alias in text for alias in aliases)


def test_an_alias_shared_by_two_exercises_is_refused(tmp_path: Path) -> None:
    for name in ("glute-bridge.md", "bird-dog.md"):
        text = (EXERCISES / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace('"bird dog",', '"broen",'), encoding="utf-8")
    with pytest.raises(SourceError, match="alias 'broen' names both 'bird-dog'"):
        load_library(tmp_path)


def test_exercise_sheet_shows_every_picture_and_title(tmp_path: Path, capsys) -> None:
    from leaflet_gen.exercises import load_library

    library = load_library(REPO / "leaflets" / "exercises")
    sheet = tmp_path / "sheet.pdf"
    assert run_cli("exercises", "--project", REPO, "--sheet", sheet) == 0
    reader = pypdf.PdfReader(sheet)
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    assert len(reader.pages) == -(-len(library) // 6)  # six to a page
    assert all(squash(e.title.text) in text and e.id in text for e in library.values())
    alts = _figure_alts(reader.trailer["/Root"]["/StructTreeRoot"])
    assert sorted(alts) == sorted(e.alt.text for e in library.values())
    assert run_cli("exercises", "--project", REPO, "--sheet", tmp_path / "sheet.png") == 2


def _figure_alts(element) -> list[str]:
    """The /Alt text of every Figure in a tagged PDF's structure tree."""
    element = element.get_object()
    found = [str(element["/Alt"])] if element.get("/S") == "/Figure" and "/Alt" in element else []
    kids = element.get("/K", [])
    for kid in kids if isinstance(kids, list) else [kids]:
        if isinstance(kid.get_object(), dict):
            found += _figure_alts(kid)
    return found


def test_readme_worked_example_is_the_glute_bridge_as_shipped() -> None:
    import yaml

    from leaflet_gen.load import read_front_matter

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("as a worked example:\n\n```yaml\n", 1)[1].split("```", 1)[0]
    shipped = read_front_matter(EXERCISES / "glute-bridge.md")[0]["figure"]
    assert yaml.safe_load(example)["figure"] == shipped


UPPER_BODY = {  # id: (regions, kind, equipment)
    "chin-tuck": ({"neck"}, "strength", {"chair"}),
    "scapular-squeeze": ({"shoulder", "neck"}, "strength", {"none"}),
    "shoulder-external-rotation-band": ({"shoulder"}, "strength", {"band"}),
    "pendulum": ({"shoulder"}, "mobility", {"table"}),
    "wall-slide": ({"shoulder"}, "mobility", {"wall"}),
    "thoracic-rotation": ({"neck"}, "mobility", {"mat"}),
    "neck-rotation": ({"neck"}, "mobility", {"chair"}),
    "upper-trapezius-stretch": ({"neck", "shoulder"}, "stretch", {"chair"}),
    "doorway-chest-stretch": ({"shoulder", "neck"}, "stretch", {"wall"}),
    "band-row": ({"shoulder", "neck"}, "strength", {"band"}),
    "cross-body-stretch": ({"shoulder"}, "stretch", {"none"}),
    "shoulder-flexion-supine": ({"shoulder"}, "mobility", {"mat", "stick"}),
    "thoracic-extension-chair": ({"neck"}, "mobility", {"chair"}),
}


def test_upper_body_exercises_carry_their_metadata_and_every_region_has_some() -> None:
    library = load_library(EXERCISES)
    for exercise_id, (regions, kind, equipment) in UPPER_BODY.items():
        tags = library[exercise_id].tags
        assert (set(tags.regions), tags.kind, set(tags.equipment)) == (regions, kind, equipment)
        assert len(tags.aliases) >= 3
    for region in ("lower-back", "hip", "knee", "shoulder", "neck"):
        assert any(region in e.tags.regions for e in library.values()), region


@pytest.mark.parametrize(
    ("exercise_id", "lang", "right"),
    [
        ("hamstring-stretch", "da", "højre ben"),
        ("shoulder-external-rotation-band", "da", "højre arm"),
        ("upper-trapezius-stretch", "da", "højre side"),
        ("shoulder-external-rotation-band", "de", "rechter Arm"),
    ],
)
def test_the_side_names_the_limb_the_exercise_works(exercise_id, lang, right) -> None:
    """A right-sided shoulder exercise is for the right arm, never "højre ben"."""
    from dataclasses import replace

    from leaflet_gen.dosage import describe
    from leaflet_gen.model import Side
    from leaflet_gen.translate import Translation

    exercise = load_library(EXERCISES)[exercise_id]
    strings = Translation(lang, REPO / "locales")
    text = describe(replace(exercise.dosage, side=Side.RIGHT), strings, str)
    assert text.endswith(f", {right}")
