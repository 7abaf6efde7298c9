"""The exercise-picture renderer: validation, placement, depth order, RTL, shipped pictures."""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import pytest
from conftest import REPO

from leaflet_gen.errors import SourceError
from leaflet_gen.exercises import load_exercise
from leaflet_gen.figures import draw
from leaflet_gen.figures.pose import POSTURES, parse
from leaflet_gen.figures.scene import (
    ACCENT,
    ACCENT_FAR,
    ARROW_CLEARANCE,
    BAND,
    BODY,
    FAR,
    HAIR,
    INK,
    MAT,
    STEP,
    TOLERANCE,
    TOWEL,
    Shape,
    camera,
    place,
    shapes,
)
from leaflet_gen.figures.svg import BADGE, WATCH, render
from leaflet_gen.figures.vec import column, dot
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
            support = floor + (STEP if panel.pose.on == "step" else 0.0)  # standing on a step
            assert panel.body.bottom() >= support - TOLERANCE, (md.name, panel.pose.name)
            assert panel.body.bottom() <= support + 0.01, (md.name, panel.pose.name)


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
    svg = draw(meta["figure"], title=str(meta["title"]), desc=str(meta["alt"]), where=md,
               held="hold_seconds" in meta["dosage"])
    used = load_exercise(md).illustration  # what the leaflets print (the machine's cache)
    assert used.read_text(encoding="utf-8") == svg
    root = check_svg(used, need_title=True)
    assert [c.tag.rsplit("}", 1)[-1] for c in root][:2] == ["title", "desc"]
    assert len(svg.encode()) < 40_000
    assert not re.search(r"<(text|filter|mask|\w*Gradient|script|image|use)\b", svg)
    assert not re.search(r"\d\.\d\d", svg), "numbers are rounded to one decimal"
    assert draw(meta["figure"], title="t", desc="d", where=md, rtl=True).count("<rect") == len(
        meta["figure"]["poses"])


def _shipped() -> list[tuple[str, object, Path]]:
    out = []
    for md in sorted(EXERCISES.glob("*.md")):
        meta, _, _ = read_front_matter(md)
        out.append((md.stem, parse(meta["figure"], md), md))
    return out


def _gap(p: tuple[float, float], body: list[Shape]) -> float:
    """Distance (cm on the picture) from ``p`` to the outline of the nearest body capsule."""
    best = math.inf
    for c in body:
        (x1, y1), (x2, y2) = c.pts
        dx, dy = x2 - x1, y2 - y1
        length = dx * dx + dy * dy
        along = ((p[0] - x1) * dx + (p[1] - y1) * dy) / length if length else 0.0
        t = max(0.0, min(1.0, along))
        radius = c.radii[0] + (c.radii[1] - c.radii[0]) * t
        best = min(best, math.dist(p, (x1 + t * dx, y1 + t * dy)) - radius)
    return best


def _panel_shapes(figure, md: Path) -> list[list[Shape]]:
    cam = camera(figure)
    panels, boxes = place(figure, md)
    return [shapes(figure, cam, panels, boxes, i, md) for i in range(len(panels))]


def _lum(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_far_limbs_are_shaded_darker_never_paler() -> None:
    """A pale far limb reads as a see-through ghost; the accent stays apart in greyscale."""
    assert _lum(FAR) < _lum(BODY) and _lum(ACCENT_FAR) < _lum(ACCENT)
    assert abs(_lum(ACCENT) - _lum(BODY)) > 40 and abs(_lum(ACCENT_FAR) - _lum(FAR)) > 40


def test_the_far_accent_is_a_bright_orange_apart_from_the_near_one_in_greyscale() -> None:
    """A dark far accent reads as brown or grey next to the other pictures' orange."""
    r, g, b = (int(ACCENT_FAR[i:i + 2], 16) / 255 for i in (1, 3, 5))
    value, low = max(r, g, b), min(r, g, b)
    hue = 60 * (g - b) / (value - low)  # red is the largest channel
    assert r == value and 15 <= hue <= 40 and (value - low) / value > 0.8  # saturated orange
    assert value >= 0.75  # bright: not brown
    assert _lum(ACCENT) - _lum(ACCENT_FAR) >= 30 and _lum(FAR) - _lum(ACCENT_FAR) >= 40


@pytest.mark.parametrize(("name", "figure", "md"), _shipped(), ids=[s for s, _, _ in _shipped()])
def test_arrows_start_on_the_moving_part_and_never_overlap(name, figure, md) -> None:
    drawn = _panel_shapes(figure, md)
    for arrow in figure.arrows:
        panel = drawn[arrow.panel - 1]  # drawn where the movement starts
        body = [s for s in panel if s.kind == "capsule" and s.fill != INK]
        moves = [s for s in panel if s.kind == "arrow"]
        assert moves, name
        ends = [min(_gap(s.pts[0], body), _gap(s.pts[-1], body) if s.heads == 2 else math.inf)
                for s in moves]
        assert min(ends) <= 6.0, (name, arrow.point, ends)
    for panel in drawn:
        arrows = [s for s in panel if s.kind == "arrow"]
        for i, a in enumerate(arrows):
            for b in arrows[i + 1:]:
                assert min(math.dist(p, q) for p in a.pts for q in b.pts) > 6.0, name


def test_arrows_stay_above_the_floor() -> None:
    spec = copy.deepcopy(BRIDGE)
    spec["arrow"] = {"joint": "pelvis", "offset": 0, "nudge": [0, -40]}  # pushed under the mat
    figure = parse(spec, WHERE)
    cam = camera(figure)
    panels, boxes = place(figure, WHERE)
    arrow = next(s for s in shapes(figure, cam, panels, boxes, 0, WHERE) if s.kind == "arrow")
    floor_y = cam.xy((0.0, MAT + ARROW_CLEARANCE, 0.0))[1]  # side view: screen y grows downwards
    assert max(y for _, y in arrow.pts) <= floor_y + 0.01


def test_arrow_is_drawn_where_the_movement_starts() -> None:
    ltr = _panels(_draw(BRIDGE))
    assert "stroke-width=\"4.2\"" in ltr[0][1] and "stroke-width=\"4.2\"" not in ltr[1][1]


@pytest.mark.parametrize(("name", "figure", "md"), _shipped(), ids=[s for s, _, _ in _shipped()])
def test_every_head_shows_a_face(name, figure, md) -> None:
    """A face unless the picture shows the back (scapular squeeze): never more than two eyes."""
    cam = camera(figure)
    panels, _ = place(figure, md)
    for panel, drawn in zip(panels, _panel_shapes(figure, md), strict=True):
        eyes = [s for s in drawn if s.kind == "capsule" and s.fill == INK]
        from_behind = dot(column(panel.body.head, 0), cam.toward) < -0.7
        assert (len(eyes) == 0) if from_behind else (1 <= len(eyes) <= 2), name


def test_a_moving_segment_colours_only_that_part() -> None:
    spec = _with(lambda s: s.update(moving=["right_shank"]))
    svg = _draw(spec)
    first = _panels(svg)[0][1]
    assert first.count(f'fill="{ACCENT}" stroke') == 1
    with pytest.raises(SourceError, match="figure.moving: unknown limb 'right_shin'"):
        _draw(_with(lambda s: s.update(moving=["right_shin"])))


def test_a_moving_chest_colours_the_upper_trunk_only() -> None:
    """``chest`` is the upper trunk, shoulder to shoulder (open book): not the belly or hips."""
    figure, panels, boxes = _placed(_with(lambda s: s.update(moving=["chest"])))
    drawn = shapes(figure, camera(figure), panels, boxes, 0, WHERE)
    accent = {s.union or "limb" for s in drawn if s.fill in (ACCENT, ACCENT_FAR)}
    assert accent == {"torso"}
    assert sum(s.fill in (ACCENT, ACCENT_FAR) for s in drawn) == 4  # 2 chest, 2 shoulders
    assert any(s.fill == BODY and s.union == "torso" for s in drawn)  # the belly stays grey


def test_a_bent_arrow_keeps_its_ends_and_bows_out() -> None:
    def arrow(spec: dict) -> Shape:
        figure = parse(spec, WHERE)
        panels, boxes = place(figure, WHERE)
        drawn = shapes(figure, camera(figure), panels, boxes, 0, WHERE)
        return next(s for s in drawn if s.kind == "arrow")

    straight = arrow(BRIDGE)
    bent = arrow(_with(lambda s: s["arrow"].update(bend=10)))
    assert bent.pts[0] == pytest.approx(straight.pts[0], abs=0.01)
    middle = len(straight.pts) // 2
    assert math.dist(bent.pts[middle], straight.pts[middle]) > 5.0
    with pytest.raises(SourceError, match=r"figure\.arrow\[0\]\.bend: 50° is outside"):
        _draw(_with(lambda s: s["arrow"].update(bend=50)))
    line = arrow(_with(lambda s: s["arrow"].update(straight=True, nudge=[0, 20])))
    (x0, y0), (x1, y1) = line.pts[0], line.pts[-1]  # every point on the chord
    assert max(abs((x - x0) * (y1 - y0) - (y - y0) * (x1 - x0)) / math.dist(line.pts[0],
               line.pts[-1]) for x, y in line.pts) < 0.01
    with pytest.raises(SourceError, match=r"figure\.arrow\[0\]\.straight: 'yes' is not"):
        _draw(_with(lambda s: s["arrow"].update(straight="yes")))


def test_ankle_circle_cue_rings_the_foot_in_the_last_panel() -> None:
    spec = _with(lambda s: s.update(cues=[{"ankle-circle": "right"}]))
    figure, panels, boxes = _placed(spec)
    cam = camera(figure)
    drawn = [shapes(figure, cam, panels, boxes, i, WHERE) for i in range(2)]
    assert [s for s in drawn[0] if s.kind == "arrow" and len(s.pts) > 20] == []
    ring = next(s for s in drawn[1] if s.kind == "arrow" and len(s.pts) > 20)
    body = panels[1].body.points
    foot = math.dist(cam.xy(body["right_ankle"]), cam.xy(body["right_toes"]))
    (ax, ay), (bx, by), (cx, cy) = ring.pts[0], ring.pts[len(ring.pts) // 2], ring.pts[-1]
    d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by))  # the circle through three points
    centre = (((ax * ax + ay * ay) * (by - cy) + (bx * bx + by * by) * (cy - ay)
               + (cx * cx + cy * cy) * (ay - by)) / d,
              ((ax * ax + ay * ay) * (cx - bx) + (bx * bx + by * by) * (ax - cx)
               + (cx * cx + cy * cy) * (bx - ax)) / d)
    radii = [math.dist(centre, p) for p in ring.pts]
    assert max(radii) - min(radii) < 3.0 and min(radii) > foot / 2  # round, around the foot
    assert math.dist(ring.pts[0], ring.pts[-1]) > 5.0 and ring.heads == 1  # a gap, one head
    with pytest.raises(SourceError, match=r"figure\.cues\[0\]\.ankle-circle: unknown side"):
        _draw(_with(lambda s: s.update(cues=[{"ankle-circle": "up"}])))


def test_a_curved_arrow_hides_nothing_it_bows_around() -> None:
    """The white halo under an arrow is a line: a filled halo would blank out the chord area."""
    svg = _draw(_with(lambda s: s["arrow"].update(bend=20)))
    halos = re.findall(r'<path d="([^"]*)" fill="([^"]*)" stroke="#fff"', svg)
    assert halos and all(fill == "none" or d.count("M") == d.count("Z") for d, fill in halos)


def test_spine_cue_draws_the_back_line_in_every_panel() -> None:
    svg = _draw(_with(lambda s: s.update(cues=["spine"])))
    assert all(f'stroke="{INK}" stroke-width="2.6"' in body for _, body in _panels(svg))
    with pytest.raises(SourceError, match="figure.cues\\[0\\]: unknown cue 'back'"):
        _draw(_with(lambda s: s.update(cues=["back"])))


@pytest.mark.parametrize("md", sorted(EXERCISES.glob("*.md")), ids=lambda p: p.stem)
def test_panels_fill_a_3_2_picture_and_the_mat_stays_in_its_frame(md: Path) -> None:
    meta, _, _ = read_front_matter(md)
    svg = draw(meta["figure"], title="t", desc="d", where=md)
    width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"',
                                                  svg).groups())
    assert width == 480 and height <= 320.05
    frames = [tuple(float(v) for v in m) for m in re.findall(
        r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)]
    assert all(x + w <= 480 and w > 60 and y + h <= height for x, y, w, h in frames)
    for (x, _, w, _), (_, body) in zip(frames, _panels(svg), strict=True):
        for path in re.findall(r'<path d="M([^"]*)Z" fill="#[0-9a-f]+" stroke="#8c8c8c"', body):
            xs = [float(v) for v in re.findall(r"[-\d.]+", path)[0::2]]
            assert x - 0.6 <= min(xs) and max(xs) <= x + w + 0.6, md.stem


STANDING = {"camera": "front", "poses": {"start": {"posture": "standing"},
                                         "finish": {"posture": "standing"}}}


def _placed(spec: dict):
    figure = parse(spec, WHERE)
    panels, boxes = place(figure, WHERE)
    return figure, panels, boxes


def _standing(**finish) -> dict:
    spec = copy.deepcopy(STANDING)
    spec["poses"]["finish"]["joints"] = finish
    return spec


@pytest.mark.parametrize(
    ("joints", "message"),
    [
        ({"neck": {"bend": 50}}, "joints.neck.bend: 50° is outside the neck's range −45…45°"),
        ({"neck": {"retract": -35}}, "joints.neck.retract: −35° is outside the neck's range "
                                     "−30…30°"),
        ({"left_shoulder": {"retract": 25}},
         "joints.left_shoulder.retract: 25° is outside the shoulder's range −20…20°"),
    ],
)
def test_upper_body_joints_have_published_ranges(joints, message) -> None:
    with pytest.raises(SourceError) as caught:
        _draw(_standing(**joints))
    assert str(caught.value).startswith(f"{WHERE}: figure.poses.finish.")
    assert message in str(caught.value)


def test_neck_side_bend_retraction_and_shoulder_blades_move_the_right_parts() -> None:
    _, panels, _ = _placed(_standing(neck={"bend": 40, "retract": 30},
                                     left_shoulder={"retract": 20}))
    start, finish = (p.body.points for p in panels)
    assert finish["head"][2] - start["head"][2] > 5  # towards the right ear (z: the right)
    assert start["head"][0] - finish["head"][0] > 2  # chin tuck: the head goes back …
    assert finish["nose"][1] - finish["head"][1] == pytest.approx(
        start["nose"][1] - start["head"][1], abs=1.5)  # … and the face stays level
    assert start["left_shoulder"][0] - finish["left_shoulder"][0] > 5  # blade drawn back
    assert finish["right_shoulder"] == start["right_shoulder"]


def test_band_tied_to_a_post_stays_put_while_the_hand_moves() -> None:
    spec = _standing(right_shoulder={"rotate": 60}, right_elbow={"flex": 90})
    spec["poses"]["start"]["joints"] = {"right_elbow": {"flex": 90}}
    spec["props"] = [{"band": {"from": "right_hand", "to": "left"}}]
    figure, panels, boxes = _placed(spec)
    post = next(b for b in boxes if b.name == "post")
    assert post.centre[2] < panels[0].body.points["right_hand"][2] - 50  # on the body's left
    cam = camera(figure)
    bands = [next(s for s in shapes(figure, cam, panels, boxes, i, WHERE) if s.kind == "line"
                  and not s.thin) for i in range(2)]
    assert bands[0].pts[1] == bands[1].pts[1] and bands[0].pts[0] != bands[1].pts[0]
    with pytest.raises(SourceError, match=r"figure\.props\[0\]\.band\.to: unknown point "
                                          r"'ceiling'"):
        _draw({**spec, "props": [{"band": {"to": "ceiling"}}]})


def test_table_under_the_hand_door_frame_and_stick() -> None:
    reach = _standing(left_shoulder={"flex": 90}, right_shoulder={"flex": 90})
    reach["poses"]["start"]["joints"] = {"left_shoulder": {"flex": 90},
                                         "right_shoulder": {"flex": 90}}
    lean = _standing(right_shoulder={"flex": 30})
    lean["poses"]["start"]["joints"] = {"right_shoulder": {"flex": 30}}
    _, panels, boxes = _placed({**lean, "props": [{"table": {"at": "right_hand"}}]})
    top = next(b for b in boxes if b.name == "table.top")
    assert top.centre[0] == pytest.approx(panels[0].body.points["right_hand"][0])
    assert 60 < top.centre[1] + top.half[1] < panels[0].body.points["right_hand"][1]
    with pytest.raises(SourceError, match=r"figure\.props: the table would be 14\d cm high"):
        _placed({**reach, "props": [{"table": {"at": "right_hand"}}]})
    _, _, boxes = _placed({**STANDING, "props": ["door"]})
    assert [b.name for b in boxes] == ["door", "door", "door"]
    svg = _draw({**reach, "props": ["stick"]})
    assert svg.count('fill="#8c8c8c" stroke="#222"') == 2  # one stick in each panel


def test_shoulder_blades_cue_shows_from_behind_and_points_to_the_spine() -> None:
    spec = _standing(left_shoulder={"retract": 20}, right_shoulder={"retract": 20})
    spec.update(cues=["shoulder-blades"], camera={"view": "front", "yaw": 180})
    figure, panels, boxes = _placed(spec)
    cam = camera(figure)
    drawn = [shapes(figure, cam, panels, boxes, i, WHERE) for i in range(2)]
    blades = [[s for s in d if s.kind == "polygon" and s.fill == ACCENT] for d in drawn]
    assert [len(b) for b in blades] == [2, 2]
    gap = [min(x for x, _ in b[1].pts) - max(x for x, _ in b[0].pts) for b in blades]
    assert gap[1] < gap[0] - 5  # screen x: from behind the right blade is on the right
    arrows = [s for s in drawn[0] if s.kind == "arrow"]
    assert len(arrows) == 2
    assert not [s for s in drawn[1] if s.kind == "arrow"]
    for arrow in arrows:  # at the shoulder blades' height, not below them at the waist
        ys = [y for b in blades[0] for _, y in b.pts]
        assert min(ys) < arrow.pts[0][1] < max(ys)
    assert [s.fill for s in drawn[0] if s.kind == "capsule"].count(HAIR) == 1  # a back view
    spec["camera"] = "front"  # the back is hidden
    figure, panels, boxes = _placed(spec)
    front = shapes(figure, camera(figure), panels, boxes, 0, WHERE)
    assert not [s for s in front if s.kind == "polygon" and s.fill == ACCENT]
    assert HAIR not in [s.fill for s in front]  # the face, with its eyes, and no hair


def test_a_wall_in_front_touches_the_hands_and_holds_a_band() -> None:
    """A figure can face its wall (calf stretch) and tie a band to it (knee extension)."""
    reach = {"flex": 90}
    props = [{"wall": {"side": "front"}}, {"band": {"from": "right_knee", "to": "wall"}}]
    facing = {"props": props,
              "poses": {"start": {"posture": "standing", "joints": {"right_shoulder": reach}},
                        "finish": {"posture": "standing", "joints": {"right_shoulder": reach,
                                                                      "right_knee": {"flex": 20},
                                                                      "right_hip": {"flex": 20}}}}}
    figure = parse(facing, WHERE)
    panels, boxes = place(figure, WHERE)
    wall = next(b for b in boxes if b.name == "wall")
    hand = panels[0].body.points["right_hand"]
    assert wall.centre[0] > hand[0]  # ahead of the figure, not behind it
    assert wall.distance(hand) < 12.0
    cam = camera(figure)
    band = next(s for s in shapes(figure, cam, panels, boxes, 0, WHERE) if s.kind == "line"
                and not s.thin)
    assert band.pts[1][0] == pytest.approx(cam.xy((wall.centre[0] - wall.half[0], 0, 0))[0])
    knee = cam.xy(panels[0].body.points["right_knee"])
    assert band.pts[0][0] == pytest.approx(knee[0] - 6.0)  # round the knee, from behind it
    far = {**facing, "props": [{"wall": {"side": "front", "gap": 60}}]}
    panels, boxes = place(parse(far, WHERE), WHERE)
    assert next(b for b in boxes if b.name == "wall").distance(
        panels[0].body.points["right_hand"]) > 60
    with pytest.raises(SourceError, match=r"figure\.props\[0\]\.band\.to: the band is tied"):
        parse({**facing, "props": [{"band": {"to": "wall"}}]}, WHERE)
    with pytest.raises(SourceError, match=r"figure\.props\[0\]\.wall\.side: unknown side 'left'"):
        parse({**facing, "props": [{"wall": {"side": "left"}}]}, WHERE)


def test_a_band_is_thick_and_blue_on_a_white_halo() -> None:
    """A band reads against the body and its props, in colour and in greyscale."""
    spec = _standing(right_shoulder={"rotate": 60}, right_elbow={"flex": 90})
    spec["poses"]["start"]["joints"] = {"right_elbow": {"flex": 90}}
    spec["props"] = [{"band": {"from": "right_hand", "to": "left"}}]
    svg = _draw(spec)
    bands = re.findall(rf'stroke="{BAND}" stroke-width="([\d.]+)"', svg)
    assert len(bands) == 2 and float(bands[0]) >= 4  # one in each panel, thicker than a line
    assert _lum(BAND) < min(_lum(c) for c in (BODY, FAR, ACCENT)) - 0.15


def test_a_towel_roll_has_a_size_and_lies_on_the_floor() -> None:
    """``size`` is the roll's thickness; under the head of a body on its side it runs along
    the body's front (a pillow), not straight up."""
    def towel(spec: dict) -> Shape:
        figure, panels, boxes = _placed(spec)
        drawn = shapes(figure, camera(figure), panels, boxes, 0, WHERE)
        return next(s for s in drawn if s.kind == "capsule" and s.fill == TOWEL)

    knee = {**STANDING, "camera": "side",
            "poses": {p: {"posture": "supine"} for p in ("start", "finish")}}
    assert towel({**knee, "props": [{"towel": {"at": "right_knee"}}]}).radii == (4.0, 4.0)
    roll = towel({**knee, "props": [{"towel": {"at": "right_knee", "size": 14}}]})
    assert roll.radii == (7.0, 7.0) and roll.pts[0][1] == pytest.approx(-7.0)
    side = {"camera": "front", "props": [{"towel": {"at": "head", "size": 12}}],
            "poses": {p: {"posture": "side-lying-left"} for p in ("start", "finish")}}
    (ax, ay), (bx, by) = towel(side).pts
    assert ay == by == pytest.approx(-6.0) and abs(ax - bx) < 1  # end on, seen from the front
    figure, panels, boxes = _placed(side)
    drawn = shapes(figure, camera(figure), panels, boxes, 0, WHERE)
    head = next(i for i, s in enumerate(drawn) if s.kind == "capsule" and s.radii[1] == 9.9)
    assert drawn.index(towel(side)) < head  # under the head, not painted over it
    assert not [s for s in drawn if s.kind == "line" and not s.clip]  # end on: no stripes
    knee["camera"] = {"view": "side", "yaw": 50}  # its length shows: a stripe near each end
    figure, panels, boxes = _placed({**knee, "props": [{"towel": {"at": "right_knee"}}]})
    drawn = shapes(figure, camera(figure), panels, boxes, 0, WHERE)
    assert len([s for s in drawn if s.kind == "line" and s.thin and not s.clip]) == 2
    with pytest.raises(SourceError, match=r"figure\.props\[0\]\.towel\.size: 90° is outside"):
        parse({**knee, "props": [{"towel": {"size": 90}}]}, WHERE)


HOLDING = {
    "camera": "side",
    "props": ["mat"],
    "moving": "right_leg",
    "cues": [{"grip": "right_thigh"}],
    "poses": {
        "start": {"posture": "crook-lying", "joints": {
            "right_hip": {"flex": 90}, "right_knee": {"flex": 90},
            "left_shoulder": {"flex": 15, "abduct": -20, "retract": -20},
            "right_shoulder": {"flex": 0, "abduct": -5, "retract": -20},
            "left_elbow": {"flex": 5}, "right_elbow": {"flex": 35}}},
        "finish": {"posture": "crook-lying", "joints": {
            "right_hip": {"flex": 90}, "right_knee": {"flex": 5}}},
    },
}


def test_grip_cue_wraps_the_fingers_round_the_front_of_the_held_thigh() -> None:
    figure, panels, boxes = _placed(HOLDING)
    cam = camera(figure)
    drawn = shapes(figure, cam, panels, boxes, 0, WHERE)
    body = panels[0].body.points
    thigh = next(i for i, s in enumerate(drawn) if s.fill == ACCENT
                 and s.pts == (cam.xy(body["right_hip"]), cam.xy(body["right_knee"])))
    hip, knee = cam.xy(body["right_hip"]), cam.xy(body["right_knee"])

    def off_axis(p) -> float:  # distance from the thigh's axis on the picture
        return abs((p[0] - hip[0]) * (knee[1] - hip[1]) - (p[1] - hip[1]) * (knee[0] - hip[0])) \
            / math.dist(hip, knee)

    fingers = [s for s in drawn[thigh + 1:] if s.kind == "capsule" and s.fill in (BODY, FAR)
               and max(off_axis(p) for p in s.pts) < 10.0]
    assert len(fingers) == 2  # both hands, drawn over the thigh, across it from its edge
    assert all(max(off_axis(p) for p in s.pts) > 6.0 and min(off_axis(p) for p in s.pts) < 6.0
               for s in fingers)
    # the finish pose lets go: nothing is drawn over the thigh there
    later = shapes(figure, cam, panels, boxes, 1, WHERE)
    assert len([s for s in later if s.kind == "capsule"]) == len(
        [s for s in drawn if s.kind == "capsule"]) - 2
    loose = copy.deepcopy(HOLDING)
    loose["cues"] = [{"grip": "left_shank"}]
    with pytest.raises(SourceError, match="figure.cues: no hand holds the left_shank in any"):
        _draw(loose)
    with pytest.raises(SourceError, match=r"figure\.cues\[0\]\.grip: unknown segment 'knee'"):
        _draw(_with(lambda s: s.update(cues=[{"grip": "knee"}])))


def test_hold_cue_puts_a_stopwatch_in_the_last_panel_clear_of_the_badge() -> None:
    assert not re.search(DIAL, _draw(BRIDGE))
    for rtl in (False, True):
        svg = _draw(_with(lambda s: s.update(cues=["hold"])), rtl=rtl)
        first, last = sorted(_panels(svg), key=lambda p: p[0] if not rtl else -p[0])
        assert not re.search(DIAL, first[1])
        (x, y), = [(float(a), float(b)) for a, b in re.findall(DIAL, last[1])]
        badge = re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="11" fill="#222"', last[1])
        assert math.dist((x, y), (float(badge[1]), float(badge[2]))) > 14.5 + 11
        assert y - 14.5 - 4 > 0  # the crown stays inside the frame


DIAL = r'<circle cx="([\d.]+)" cy="([\d.]+)" r="14.5" fill="#fff"'
REPEAT = r'<circle cx="([\d.]+)" cy="([\d.]+)" r="18" fill="#fff"'


@pytest.mark.parametrize("md", sorted(EXERCISES.glob("*.md")), ids=lambda p: p.stem)
def test_every_held_exercise_shows_the_stopwatch_from_its_dosage(md: Path) -> None:
    """``hold_seconds`` in the dosage draws the stopwatch: no file can forget the cue."""
    meta, _, _ = read_front_matter(md)
    svg = load_exercise(md).illustration.read_text(encoding="utf-8")
    assert bool(re.search(DIAL, svg)) == ("hold_seconds" in meta["dosage"])


def test_hold_seconds_adds_the_stopwatch_without_a_cue(tmp_path: Path) -> None:
    source = (EXERCISES / "glute-bridge.md").read_text(encoding="utf-8")
    assert "hold" not in read_front_matter(EXERCISES / "glute-bridge.md")[0]["figure"].get(
        "cues", [])
    held = tmp_path / "glute-bridge.md"
    held.write_text(source.replace("  reps: 10\n", "  reps: 10\n  hold_seconds: 5\n"),
                    encoding="utf-8")
    assert not re.search(DIAL, load_exercise(EXERCISES / "glute-bridge.md")
                         .illustration.read_text(encoding="utf-8"))
    exercise = load_exercise(held)
    for picture in (exercise.illustration, exercise.illustration_rtl):
        first, last = sorted(_panels(picture.read_text(encoding="utf-8")),
                             key=lambda p: p[0] if picture == exercise.illustration else -p[0])
        assert not re.search(DIAL, first[1]) and re.search(DIAL, last[1])


def test_repeat_cue_draws_two_chasing_arrows_in_the_last_panel_and_excludes_a_hold() -> None:
    svg = _draw(_with(lambda s: s.update(cues=["repeat"])))
    first, last = _panels(svg)
    assert not re.search(REPEAT, first[1]) and not re.search(DIAL, svg)
    (x, y), = [(float(a), float(b)) for a, b in re.findall(REPEAT, last[1])]
    sign = last[1][last[1].index('r="18" fill="#fff"'):]
    arcs = re.search(r'<path d="([^"]*)" fill="none" stroke="#222" stroke-width="3"/>', sign)
    heads = re.search(r'<path d="([^"]*)" fill="#222"', sign)
    assert arcs[1].count("M") == 2 and heads[1].count("Z") == 2  # two arcs, a head on each
    assert all(math.dist((x, y), (float(a), float(b))) < 18
               for a, b in re.findall(r"(-?[\d.]+) (-?[\d.]+)", arcs[1]))
    assert not re.search(REPEAT, _draw(BRIDGE))
    with pytest.raises(SourceError, match=r"figure\.cues: hold \(a held position\) and repeat"):
        _draw(_with(lambda s: s.update(cues=["hold", "repeat"])))
    with pytest.raises(SourceError, match=r"figure\.cues: repeat \(keep moving\) but the "
                       r"dosage holds the position"):
        draw(_with(lambda s: s.update(cues=["repeat"])), title="t", desc="d", where=WHERE,
             held=True)


def test_the_stopwatch_goes_beside_the_badge_when_the_other_corners_are_taken() -> None:
    """A figure filling the far top corner and the bottom (calf stretch at its wall)."""
    wall = Shape("capsule", ((100.0, 0.0), (100.0, 70.0)), (6.0, 6.0), BODY)
    floor = Shape("capsule", ((0.0, 70.0), (100.0, 70.0)), (6.0, 6.0), BODY)
    head = Shape("capsule", ((30.0, 20.0), (30.0, 20.0)), (5.0, 5.0), BODY)
    svg = render([[wall, floor, head]], title="t", desc="d", rtl=False, sign="hold")
    badge = re.search(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="11"', svg)
    (x, y), = [(float(a), float(b)) for a, b in re.findall(DIAL, svg)]
    assert y < 40 and float(badge[1]) + 11 < x - 14.5  # the top row, right of the badge


def test_a_band_is_tied_to_a_plate_on_its_wall_or_post() -> None:
    spec = _standing(right_shoulder={"flex": 90})
    spec["camera"] = "side"
    spec["props"] = [{"wall": {"side": "front"}}, {"band": {"from": "right_hand", "to": "wall"}}]
    for props in (spec["props"], [{"band": {"from": "right_hand", "to": "back"}}]):
        figure, panels, boxes = _placed({**spec, "props": props})
        drawn = shapes(figure, camera(figure), panels, boxes, 0, WHERE)
        band = next(s for s in drawn if s.kind == "line" and not s.thin)
        (plate,) = [s for s in drawn[drawn.index(band) + 1:] if s.kind == "capsule"]
        (x0, y0), (x1, y1) = plate.pts
        assert x0 == pytest.approx(band.pts[1][0]) == pytest.approx(x1)  # upright, at the end
        assert abs(y1 - y0) == pytest.approx(10.0) and min(y0, y1) < band.pts[1][1] < max(y0, y1)


def test_press_cue_pushes_the_point_down_onto_a_bar_on_the_floor_in_the_last_panel() -> None:
    spec = {"camera": "side", "props": ["mat"], "moving": "trunk", "cues": [{"press": "waist"}],
            "poses": {"start": {"posture": "crook-lying", "tilt": 15,
                                "joints": {"spine": {"flex": -30}, "left_hip": {"flex": 60},
                                           "right_hip": {"flex": 60}}},
                      "finish": {"posture": "crook-lying"}}}
    figure, panels, boxes = _placed(spec)
    cam = camera(figure)
    first, last = (shapes(figure, cam, panels, boxes, i, WHERE) for i in range(2))

    def bars(drawn: list[Shape]) -> list[Shape]:  # dark capsules that are not dots (the eyes)
        return [s for s in drawn if s.kind == "capsule" and s.fill == INK and s.pts[0] != s.pts[1]]

    assert not [s for s in first if s.kind == "arrow"] and not bars(first)
    (arrow,) = [s for s in last if s.kind == "arrow"]
    (bar,) = bars(last)
    waist = cam.xy(panels[1].body.points["waist"])
    (x0, y0), (x1, y1) = arrow.pts[0], arrow.pts[-1]
    assert abs(x0 - waist[0]) < 0.01 and abs(x1 - waist[0]) < 0.01 and y1 > y0  # straight down
    assert y0 < min(y for s in last if s.kind == "capsule" and s is not bar
                    for (_, y), r in zip(s.pts, s.radii, strict=True) if abs(_ - x0) < 5)
    assert abs(bar.pts[0][1] - (-MAT)) < 0.01 and y1 < -MAT  # the bar lies on the mat, tip on it
    with pytest.raises(SourceError, match=r"figure\.cues\[0\]\.press: unknown point 'back'"):
        _draw(_with(lambda s: s.update(cues=[{"press": "back"}])))


def test_nerve_cue_runs_down_the_back_of_the_leg_from_buttock_to_heel() -> None:
    """``{nerve: right}`` (the nerve glides): a line behind the thigh and the calf in every
    panel, each stretch drawn over its own segment, ending at the heel; none where the leg's back
    faces away from the camera."""
    spec = copy.deepcopy(HOLDING)
    spec["cues"] = [{"nerve": "right"}]
    figure, panels, boxes = _placed(spec)
    cam = camera(figure)
    for i, panel in enumerate(panels):
        drawn = shapes(figure, cam, panels, boxes, i, WHERE)
        nerves = [k for k, s in enumerate(drawn) if s.kind == "nerve"]
        assert len(nerves) == 2, i  # behind the thigh, behind the calf
        points, frames = panel.body.points, panel.body.frames
        for k, segment, (a, b) in zip(nerves, ("thigh", "shank"),
                                      (("right_hip", "right_knee"), ("right_knee", "right_ankle")),
                                      strict=True):
            limb = next(j for j, s in enumerate(drawn) if s.kind == "capsule"
                        and s.pts == (cam.xy(points[a]), cam.xy(points[b])))
            assert limb < k  # drawn over its segment
            back = column(frames[f"right_{segment}"], 0)
            bx, by = cam.xy((-back[0], -back[1], -back[2]))
            middle = drawn[k].pts[len(drawn[k].pts) // 2]
            (ax, ay), (cx, cy) = cam.xy(points[a]), cam.xy(points[b])
            axis = ((ax + cx) / 2, (ay + cy) / 2)
            assert (middle[0] - axis[0]) * bx + (middle[1] - axis[1]) * by > 2.0  # behind it
        assert drawn[nerves[-1]].pts[-1] == cam.xy(points["right_heel"])
    figure, panels, boxes = _placed(_standing() | {"cues": [{"nerve": "left"}]})
    assert not [s for s in shapes(figure, camera(figure), panels, boxes, 0, WHERE)
                if s.kind == "nerve"]  # seen from the front the backs of the legs are hidden
    with pytest.raises(SourceError, match=r"figure\.cues\[0\]\.nerve: unknown side 'middle'"):
        _draw(_with(lambda s: s.update(cues=[{"nerve": "middle"}])))


def test_ankle_pump_cue_is_in_the_last_panel_or_in_every_panel() -> None:
    """``{ankle-pump: right}`` draws the foot's two-way arc in the last panel; with
    ``panels: all`` in every panel (the lying nerve glide: the foot points and pulls up all the
    time, so panel 1 does not read as a held hamstring stretch)."""
    def pumps(cue) -> list[int]:
        figure, panels, boxes = _placed(_with(lambda s: s.update(cues=[cue], arrow=[])))
        cam = camera(figure)
        return [sum(1 for s in shapes(figure, cam, panels, boxes, i, WHERE)
                    if s.kind == "arrow" and s.heads == 2) for i in range(2)]

    assert pumps({"ankle-pump": "right"}) == [0, 1]
    assert pumps({"ankle-pump": {"side": "right", "panels": "all"}}) == [1, 1]
    assert pumps({"ankle-pump": {"side": "right", "panels": "last"}}) == [0, 1]
    with pytest.raises(SourceError, match=r"figure\.cues\[0\]\.ankle-pump\.panels: unknown "
                       r"panels 'both'"):
        _draw(_with(lambda s: s.update(cues=[{"ankle-pump": {"side": "right",
                                                             "panels": "both"}}])))


def test_press_cue_without_its_bar_keeps_only_the_arrow() -> None:
    """``{press: {at: waist, bar: false}}``: the pelvic tilt's arrow reads alone, with no dark
    bar to explain; ``{press: waist}`` keeps the bar (the calf stretch's heel on the floor)."""
    def drawn(cue) -> list[Shape]:
        figure, panels, boxes = _placed(_with(lambda s: s.update(cues=[cue], arrow=[])))
        return shapes(figure, camera(figure), panels, boxes, 1, WHERE)

    def bars(shapes_: list[Shape]) -> int:
        return sum(1 for s in shapes_ if s.kind == "capsule" and s.fill == INK
                   and s.pts[0] != s.pts[1])

    with_bar, without = drawn({"press": "waist"}), drawn({"press": {"at": "waist", "bar": False}})
    assert bars(with_bar) == 1 and bars(without) == 0
    arrows = [[s.pts for s in d if s.kind == "arrow"] for d in (with_bar, without)]
    assert arrows[0] == arrows[1] and len(arrows[0]) == 1
    with pytest.raises(SourceError, match=r"figure\.cues\[0\]\.press\.bar: 'no' is not true"):
        _draw(_with(lambda s: s.update(cues=[{"press": {"at": "waist", "bar": "no"}}])))


@pytest.mark.parametrize("md", sorted(EXERCISES.glob("*.md")), ids=lambda p: p.stem)
def test_every_shipped_picture_numbers_top_left_and_signs_top_right(md: Path) -> None:
    """One layout for the reader: the badges top left, the sign top right (a wall behind the
    figure, as in the wall slide or the calf stretch, does not push them away), or right beside
    the badge where the figure fills the top right (the cat-camel's raised head)."""
    svg = load_exercise(md).illustration.read_text(encoding="utf-8")
    frames = [tuple(float(v) for v in m) for m in re.findall(
        r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)]

    def corner(x: str, y: str) -> str:
        (left, top, width, height), = [f for f in frames if f[0] <= float(x) <= f[0] + f[2]
                                       and f[1] <= float(y) <= f[1] + f[3]]
        return ("t" if float(y) < top + height / 2 else "b") + (
            "l" if float(x) < left + width / 2 else "r")

    badges = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="11" fill="#222"', svg)
    signs = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="(?:14.5|18)" fill="#fff"', svg)
    assert len(badges) == len(frames) and {corner(*b) for b in badges} == {"tl"}
    for sign in signs:
        beside = [b for b in badges if abs(float(sign[1]) - float(b[1])) < BADGE
                  and 0 < float(sign[0]) - float(b[0]) <= 2 * BADGE + 6 + WATCH + 4]
        assert corner(*sign) == "tr" or beside, (md.stem, sign)
