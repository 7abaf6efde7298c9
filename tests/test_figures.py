"""The exercise-picture renderer: validation, placement, depth order, RTL, shipped pictures."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from conftest import REPO

from leaflet_gen.errors import SourceError
from leaflet_gen.exercises import load_exercise
from leaflet_gen.figures import draw
from leaflet_gen.figures.pose import POSTURES, parse
from leaflet_gen.figures.scene import ACCENT, ACCENT_FAR, MAT, TOLERANCE, place
from leaflet_gen.load import read_front_matter
from leaflet_gen.svg import check_svg

EXERCISES = REPO / "leaflets" / "exercises"
WHERE = Path("x.md")
BRIDGE = {
    "camera": "side",
    "props": ["mat"],
    "moving": "trunk",
    "anchor": "feet",
    "arrow": {"joint": "pelvis"},
    "poses": {
        "start": {"posture": "crook-lying"},
        "finish": {"posture": "crook-lying", "tilt": -28, "joints": {
            "left_hip": {"flex": -17}, "right_hip": {"flex": -17}, "left_knee": {"flex": 99},
            "right_knee": {"flex": 99}, "left_ankle": {"dorsiflex": -6},
            "right_ankle": {"dorsiflex": -6}}},
    },
}


def _draw(spec: dict, rtl: bool = False) -> str:
    return draw(spec, title="Titel", desc="Beskrivelse", where=WHERE, rtl=rtl)


def _with(change) -> dict:
    spec = copy.deepcopy(BRIDGE)
    change(spec)
    return spec


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["poses"]["start"].update(joints={"left_kne": {"flex": 10}}),
         "figure.poses.start.joints.left_kne: unknown joint 'left_kne' (known: spine, neck,"),
        (lambda s: s["poses"]["finish"]["joints"].update(right_hip={"flex": 150}),
         "figure.poses.finish.joints.right_hip.flex: 150° is outside the hip's range −30…130°"),
        (lambda s: s["poses"]["finish"]["joints"].update(right_knee={"abduct": 5}),
         "figure.poses.finish.joints.right_knee: unknown key 'abduct' (known: flex)"),
        (lambda s: s["poses"]["start"].update(posture="sofa-lying"),
         "figure.poses.start.posture: unknown posture 'sofa-lying'"),
        (lambda s: s.update(camera="sideways"), "figure.camera: unknown view 'sideways'"),
        (lambda s: s.update(props=["mat", "sofa"]), "figure.props[1]: unknown prop 'sofa'"),
        (lambda s: s.update(colour="red"), "figure: unknown key 'colour'"),
        (lambda s: s["poses"]["start"].update(tlit=5),
         "figure.poses.start: unknown key 'tlit' (known: joints, on, posture, roll, tilt)"),
        (lambda s: s["arrow"].update(joint="elbow"),
         "figure.arrow[0].joint: unknown point 'elbow'"),
        (lambda s: s.update(moving="tail"), "figure.moving: unknown limb 'tail'"),
        (lambda s: s["poses"].pop("finish"), "figure.poses: needs a finish pose"),
        (lambda s: s["poses"]["start"].update(on="chair"),
         "figure.poses.start.on: the figure rests on the chair, which figure.props lacks"),
        (lambda s: s["poses"]["finish"]["joints"].update(right_hip={"flex": -30}),
         "figure.poses.finish: the body goes"),
    ],
)
def test_bad_figure_names_the_field(change, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        _draw(_with(change))
    assert message in str(caught.value)
    assert str(caught.value).startswith(f"{WHERE}: ")


def test_body_through_the_floor_is_refused_with_depth() -> None:
    spec = _with(lambda s: s["poses"]["finish"]["joints"].update(right_hip={"flex": -30}))
    with pytest.raises(SourceError, match=r"figure\.poses\.finish: the body goes \d+ cm through"):
        _draw(spec)


def test_body_through_a_prop_is_refused() -> None:
    seated = {"props": ["chair"], "poses": {"start": {"posture": "sitting"},
                                            "finish": {"posture": "sitting", "tilt": -45}}}
    into = r"figure\.poses\.finish: the body goes \d+ cm into the chair"
    with pytest.raises(SourceError, match=into):
        _draw(seated)


def test_same_data_same_bytes() -> None:
    assert _draw(BRIDGE) == _draw(copy.deepcopy(BRIDGE))


def test_figure_touches_but_does_not_cross_its_support() -> None:
    panels, _ = place(parse(BRIDGE, WHERE), WHERE)
    for panel in panels:
        back = POSTURES["crook-lying"].contacts
        assert panel.body.bottom(back) == pytest.approx(MAT, abs=0.01)  # lying on the mat
        assert MAT - TOLERANCE <= panel.body.bottom() <= MAT
    for md in sorted(EXERCISES.glob("*.md")):
        meta, _, _ = read_front_matter(md)
        figure = parse(meta["figure"], md)
        floor = MAT if figure.prop("mat") is not None else 0.0
        for panel in place(figure, md)[0]:
            assert panel.body.bottom() >= floor - TOLERANCE, (md.name, panel.pose.name)
            assert panel.body.bottom() <= floor + 0.01, (md.name, panel.pose.name)


def test_near_leg_is_drawn_after_far_leg_in_a_side_view() -> None:
    standing = {"camera": "side", "moving": ["left_leg", "right_leg"],
                "poses": {"start": {"posture": "standing"}, "finish": {"posture": "standing"}}}
    fills = re.findall(r'<path d="[^"]*" fill="(#[0-9a-f]+)" stroke="#222"', _draw(standing))
    first_panel = fills[: len(fills) // 2]
    far = [i for i, f in enumerate(first_panel) if f == ACCENT_FAR]  # left leg: far side
    near = [i for i, f in enumerate(first_panel) if f == ACCENT]  # right leg: towards camera
    assert len(far) == len(near) == 3 and max(far) < min(near)


BODY_PATH = r'<path d="M([\d.]+) [^"]*" fill="#[0-9a-f]+" stroke="#222"'


def _panels(svg: str) -> list[tuple[float, str]]:
    """Each panel's frame x and the drawing that follows it."""
    parts = re.split(r'<rect x="([\d.]+)"[^>]*/>', svg)
    return [(float(parts[i]), parts[i + 1]) for i in range(1, len(parts), 2)]


def test_rtl_swaps_panels_but_does_not_mirror_the_figure() -> None:
    seated = {"props": ["chair"], "poses": {"start": {"posture": "sitting"},
                                            "finish": {"posture": "sitting", "tilt": 20,
                                                       "joints": {"left_hip": {"flex": 110},
                                                                  "right_hip": {"flex": 110}}}}}
    ltr, rtl = _panels(_draw(seated)), _panels(_draw(seated, rtl=True))
    assert ltr[0][0] < ltr[1][0] and rtl[0][0] > rtl[1][0]  # panel 1 on the right in RTL
    for (x_ltr, body_ltr), (x_rtl, body_rtl) in zip(ltr, rtl, strict=True):
        xs_ltr = [float(x) for x in re.findall(BODY_PATH, body_ltr)]
        xs_rtl = [float(x) for x in re.findall(BODY_PATH, body_rtl)]
        shift = x_rtl - x_ltr
        assert xs_rtl == pytest.approx([x + shift for x in xs_ltr], abs=0.11)


@pytest.mark.parametrize("md", sorted(EXERCISES.glob("*.md")), ids=lambda p: p.stem)
def test_shipped_picture_is_safe_small_and_drawn_from_its_figure(md: Path) -> None:
    meta, _, _ = read_front_matter(md)
    svg = draw(meta["figure"], title=str(meta["title"]), desc=str(meta["alt"]), where=md)
    used = load_exercise(md).illustration  # what the leaflets print (the machine's cache)
    assert used.read_text(encoding="utf-8") == svg
    root = check_svg(used, need_title=True)
    assert [c.tag.rsplit("}", 1)[-1] for c in root][:2] == ["title", "desc"]
    assert len(svg.encode()) < 40_000
    assert not re.search(r"<(text|filter|mask|\w*Gradient|script|image|use)\b", svg)
    assert not re.search(r"\d\.\d\d", svg), "numbers are rounded to one decimal"
    assert draw(meta["figure"], title="t", desc="d", where=md, rtl=True).count("<rect") == len(
        meta["figure"]["poses"])
