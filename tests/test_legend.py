"""The legend above the exercise cards: what the pictures' numbers and signs mean, a sign
only where one of the document's pictures shows it, in the patient's language."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from conftest import LEAFLET_ID, REPO, run_cli
from test_figures import DIAL
from test_figures import REPEAT as REPEAT_DISC

from leaflet_gen.exercises import load_library
from leaflet_gen.figures.scene import NERVE as NERVE_YELLOW
from leaflet_gen.figures.svg import sign_svg
from leaflet_gen.svg import check_svg_bytes

SIGNS = (("hold", DIAL), ("repeat", REPEAT_DISC))  # how the renderer draws each
ORDER, HOLD, REPEAT = "1 er start", "Hold stillingen", "Bevæg frem og tilbage"
NERVE = "Gul linje: nerven"


def handout_text(tmp_path: Path, *exercises: str, lang: str = "da") -> str:
    out = tmp_path / f"h.{lang}.pdf"
    args = [arg for exercise in exercises for arg in ("--exercise", exercise)]
    assert run_cli("handout", LEAFLET_ID, "--project", REPO, "--patient", "Anna",
                   "--exercises-only", "--diary", "0", "--draft", "--lang", lang,
                   "--out", out, *args) == 0  # fmt: skip
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("exercises", "hold", "repeat", "nerve"),
    [
        (("sit-to-stand", "calf-raise", "prone-press-up"), False, False, False),
        (("sit-to-stand", "piriformis-stretch"), True, False, False),
        (("seated-nerve-glide",), False, True, True),
    ],
)
def test_the_legend_names_the_signs_the_pictures_show(
    tmp_path: Path, exercises: tuple[str, ...], hold: bool, repeat: bool, nerve: bool
) -> None:
    text = handout_text(tmp_path, *exercises)
    assert ORDER in text
    assert (HOLD in text) is hold
    assert (REPEAT in text) is repeat
    assert (NERVE in text) is nerve


def test_the_legend_is_in_the_patients_language(tmp_path: Path) -> None:
    text = handout_text(tmp_path, "piriformis-stretch", "seated-nerve-glide", lang="en")
    assert "1 is the start" in text and "Hold the position" in text
    assert "Move back and forth" in text and "Yellow line: the nerve" in text
    assert HOLD not in text and NERVE not in text


def test_an_exercises_sign_is_the_one_its_picture_draws() -> None:
    """The library reads the sign from the figure data, as the renderer draws it: the
    stopwatch's dial or the repeat sign's disc is in the picture exactly when the exercise
    says so, right to left too."""
    library = load_library(REPO / "leaflets" / "exercises")
    for exercise in library.values():
        for picture in (exercise.illustration, exercise.illustration_rtl):
            svg = picture.read_text(encoding="utf-8")
            drawn = [sign for sign, mark in SIGNS if re.search(mark, svg)]
            assert drawn == ([exercise.sign] if exercise.sign else []), exercise.id
    assert {exercise.sign for exercise in library.values()} == {"", "hold", "repeat"}


def test_an_exercise_says_it_shows_a_nerve_exactly_when_its_picture_draws_one() -> None:
    library = load_library(REPO / "leaflets" / "exercises")
    for exercise in library.values():
        svg = exercise.illustration.read_text(encoding="utf-8")
        assert (f'stroke="{NERVE_YELLOW}"' in svg) is exercise.nerve, exercise.id
    assert {e.id for e in library.values() if e.nerve} == {
        "seated-nerve-glide", "lying-sciatic-nerve-glide"}


@pytest.mark.parametrize("kind", ["1", "2", "hold", "repeat", "nerve"])
def test_each_sign_alone_is_a_safe_small_svg(kind: str) -> None:
    data = sign_svg(kind).encode()
    check_svg_bytes(data, "sign", None, need_title=True)
    assert len(data) < 3000 and sign_svg(kind).encode() == data
