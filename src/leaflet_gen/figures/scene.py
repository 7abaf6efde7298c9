"""Camera, props, placing each pose on its support, and the depth-ordered shapes of a panel."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceError
from .body import Body, Part, pose_body
from .pose import PAIRS, POSTS, POSTURES, Arrow, Figure, Pose
from .vec import UP, Vec, add, column, cross, dot, lerp, mean, mul, sub, unit

TOLERANCE = 1.0  # cm a body may sink into its support or a prop
MAT = 1.5  # mat thickness, cm
ARROW_CLEARANCE = 3.0  # cm an arrow keeps above the floor
STEP, TABLE = 18.0, 72.0  # heights, cm
TIE, DOOR = 55.0, 205.0  # a band's length to its post; height of a door frame, cm
WRAP = 6.0  # cm behind a limb's joint (the knee) that a band tied round it starts
GRIP = 6.0  # cm from a segment's surface within which a hand holds round it
FIXING = 10.0  # cm: the height of the plate a band is tied to on a wall or door post

# Limbs on the far side are a shade darker (in shadow), never paler: a pale limb reads as a
# see-through "ghost". The accent tones stay apart from the greys in greyscale too, and the far
# accent is a bright burnt orange (value 0.78), not a brown that reads as grey on paper.
BODY, FAR, ACCENT, ACCENT_FAR = "#d4d4d4", "#a8a8a8", "#e67a2e", "#c8560a"
HAIR = "#6b6b6b"  # the back of a head seen from behind
PROP, PROP_TOP, PROP_INK, INK = "#d9d9d9", "#ececec", "#8c8c8c", "#222"
TOWEL = "#fbfbfb"  # a white towel with two grey stripes, unlike any limb
BAND = "#1f5fa8"  # an exercise band: blue, darker than body, props and accent in greyscale
NERVE = "#f4c430"  # a nerve: yellow as in anatomy atlases, outlined so it reads in greyscale
NERVE_DEPTH = 0.7  # of a segment's radius: how far behind its axis the nerve runs

Point2 = tuple[float, float]


@dataclass(frozen=True)
class Camera:
    """Orthographic camera: screen right, screen up and the direction towards the viewer."""

    right: Vec
    up: Vec
    toward: Vec

    def project(self, p: Vec) -> tuple[float, float, float]:
        """Screen x, screen y (downwards, cm) and depth (larger is nearer)."""
        return dot(p, self.right), -dot(p, self.up), dot(p, self.toward)

    def xy(self, p: Vec) -> Point2:
        return dot(p, self.right), -dot(p, self.up)


def camera(figure: Figure) -> Camera:
    """The camera of every panel, its named view taken from the first pose's posture."""
    posture = POSTURES[figure.poses[0].posture]
    front, right = posture.front, cross(posture.front, posture.up)
    base = {
        "side": right,
        "front": front,
        "top": UP,
        "three-quarter": unit(add(add(front, right), mul(UP, 0.5))),
    }[figure.view]
    pitch = math.degrees(math.asin(max(-1.0, min(1.0, base[1]))))
    yaw = math.degrees(math.atan2(base[0], base[2])) if abs(base[1]) < 0.999 else 0.0
    yaw, pitch = math.radians(yaw + figure.yaw), math.radians(min(90, pitch + figure.pitch))
    toward = (math.sin(yaw) * math.cos(pitch), math.sin(pitch), math.cos(yaw) * math.cos(pitch))
    right_v = (math.cos(yaw), 0.0, -math.sin(yaw))
    return Camera(right_v, cross(toward, right_v), toward)


@dataclass(frozen=True)
class Box:
    """A prop block: centre, axes (unit vectors) and half sizes along them."""

    name: str
    centre: Vec
    axes: tuple[Vec, Vec, Vec]
    half: Vec

    def distance(self, p: Vec) -> float:
        """Signed distance from ``p`` to the box (negative inside)."""
        offset = sub(p, self.centre)
        q = [abs(dot(offset, a)) - h for a, h in zip(self.axes, self.half, strict=True)]
        outside = math.sqrt(sum(max(v, 0.0) ** 2 for v in q))
        return outside if outside > 0 else max(q)

    def faces(self, cam: Camera) -> list[tuple[list[Point2], float, bool]]:
        """Visible faces: screen corners, depth and whether the face is a top."""
        out = []
        for i in range(3):
            for sign in (-1, 1):
                normal = mul(self.axes[i], sign)
                if dot(normal, cam.toward) < 1e-6:
                    continue
                j, k = (i + 1) % 3, (i + 2) % 3
                centre = add(self.centre, mul(normal, self.half[i]))
                corners = [
                    add(centre, add(mul(self.axes[j], self.half[j] * a),
                                    mul(self.axes[k], self.half[k] * b)))
                    for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1))
                ]
                out.append(([cam.xy(p) for p in corners], cam.project(centre)[2],
                             dot(normal, UP) > 0.5))
        return out


@dataclass(frozen=True)
class Panel:
    """One placed pose: the body in the world and the shift that put it there."""

    pose: Pose
    body: Body
    shift: Vec


@dataclass(frozen=True)
class Shape:
    """A drawable in screen cm: a capsule, polygon, line or arrow."""

    kind: str  # capsule, polygon, line, arrow, nerve
    pts: tuple[Point2, ...]
    radii: tuple[float, ...] = ()
    fill: str = "none"
    depth: float = 0.0
    union: str = ""
    dashed: bool = False
    heads: int = 0  # arrow heads: 1 at the end, 2 at both ends
    thin: bool = False  # prop outline
    clip: bool = False  # floor or mat: cut at the panel's frame


def point(body: Body, name: str) -> Vec:
    """A named point of the body; ``knees``, ``feet``… is the middle of the pair."""
    if name in PAIRS:
        return mean([body.points[f"{side}_{PAIRS[name]}"] for side in ("left", "right")])
    return body.points[name]


def place(figure: Figure, where: Path) -> tuple[list[Panel], list[Box]]:
    """Each pose put on its support, anchored at the same spot, and the prop blocks."""
    floor = MAT if figure.prop("mat") is not None else 0.0
    panels: list[Panel] = []
    chair: list[Box] = []
    for pose in figure.poses:
        body = pose_body(pose.pelvis(), pose.angles)
        anchor = point(body, figure.anchor)
        shift = (-anchor[0], 0.0, -anchor[2])
        body = body.moved(shift)
        contacts = POSTURES[pose.posture].contacts
        if pose.on == "chair" and not chair:
            rest = frozenset(p.name for p in body.parts) - (contacts or frozenset())
            dy = floor - body.bottom(rest)
            body = body.moved((0.0, dy, 0.0))
            chair = _chair(body, _seat(body, contacts), floor, figure, where)
        else:
            support = {"floor": floor, "step": floor + STEP, "table": TABLE}.get(pose.on)
            if support is None:
                dy = chair[0].centre[1] + chair[0].half[1] - _seat(body, contacts)
            else:
                dy = support - body.bottom(contacts)
            body = body.moved((0.0, dy, 0.0))
        panels.append(Panel(pose, body, add(shift, (0.0, dy, 0.0))))
    boxes = chair + _blocks(figure, panels, floor)
    table = next((b for b in boxes if b.name == "table.top"), None)
    if table is not None and not 60 <= table.centre[1] + table.half[1] - floor <= 100:
        raise SourceError(f"figure.props: the table would be {table.centre[1] + table.half[1]:.0f}"
                          " cm high (60–100 cm: move the hand it is under)", where)
    for panel in panels:
        _check(panel, boxes, floor, where)
    for segment in figure.grips:
        if not any(gripping(panel.body, segment) for panel in panels):
            raise SourceError(f"figure.cues: no hand holds the {segment} in any pose (bring a "
                              f"hand within {GRIP:g} cm of it)", where)
    return panels, boxes


def gripping(body: Body, segment: str) -> list[str]:
    """The hands that hold round a segment: within :data:`GRIP` cm of its surface."""
    seg = next(p for p in body.parts if p.name == segment)
    out = []
    for side in ("left", "right"):
        hand = next(p for p in body.parts if p.name == f"{side}_hand")
        centre = lerp(hand.a, hand.b, 0.5)
        t = max(0.0, min(1.0, dot(sub(centre, seg.a), sub(seg.b, seg.a))
                         / max(dot(sub(seg.b, seg.a), sub(seg.b, seg.a)), 1e-9)))
        radius = seg.ra + (seg.rb - seg.ra) * t
        if math.dist(centre, lerp(seg.a, seg.b, t)) - radius - hand.rb <= GRIP:
            out.append(hand.name)
    return out


def _seat(body: Body, contacts: frozenset[str] | None) -> float:
    """Height of what rests on a seat: the buttocks and the tops of the thighs."""
    return min(p.a[1] - p.ra for p in body.parts if p.name in (contacts or ()))


def _check(panel: Panel, boxes: list[Box], floor: float, where: Path) -> None:
    """Refuse a body that goes through the floor or into a prop."""
    field = f"figure.poses.{panel.pose.name}"
    sink = floor - panel.body.bottom()
    if sink > TOLERANCE:
        raise SourceError(f"{field}: the body goes {math.ceil(sink)} cm through the floor", where)
    resting = POSTURES[panel.pose.posture].contacts or frozenset()
    for box in boxes:
        if box.name == "mat":
            continue
        on = box.name.startswith(panel.pose.on)
        depth = max(_sink(p, box) for p in panel.body.parts if not (on and p.name in resting))
        if depth > TOLERANCE:
            raise SourceError(f"{field}: the body goes {math.ceil(depth)} cm into the "
                              f"{box.name.split('.')[0]}", where)


def _sink(part: Part, box: Box) -> float:
    """How deep a capsule reaches into a box (cm)."""
    return max(
        part.ra + (part.rb - part.ra) * t - box.distance(lerp(part.a, part.b, t))
        for t in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    )


def _slab(name: str, centre: Vec, f: Vec, size: Vec) -> Box:
    """A box facing horizontal direction ``f``: size along f, up and sideways."""
    return Box(name, centre, (f, UP, cross(f, UP)), mul(size, 0.5))


def _bench(name: str, centre: Vec, f: Vec, depth: float, width: float, top: float,
           floor: float) -> list[Box]:
    """A top slab on four legs (chair seat, table)."""
    side = cross(f, UP)
    boxes = [_slab(f"{name}.top", (centre[0], top - 2.0, centre[2]), f, (depth, 4.0, width))]
    for a in (-1, 1):
        for b in (-1, 1):
            foot = add(centre, add(mul(f, a * (depth / 2 - 2.5)), mul(side, b * (width / 2 - 2.5))))
            height = top - 4.0 - floor
            boxes.append(_slab(f"{name}.leg", (foot[0], floor + height / 2, foot[2]), f,
                               (3.0, height, 3.0)))
    return boxes


def _chair(body: Body, seat: float, floor: float, figure: Figure, where: Path) -> list[Box]:
    """A chair under a seated body, its front edge a little in front of the hips."""
    f = unit((body.pelvis[0][0], 0.0, body.pelvis[2][0]))
    front = dot(point(body, "hips"), f) + 8.0
    if not 30 <= seat - floor <= 60:
        raise SourceError(f"figure.poses.{figure.poses[0].name}: the chair seat would be "
                          f"{seat - floor:.0f} cm high (the feet rest on the floor)", where)
    centre = add(mul(f, front - 22.0), (0.0, 0.0, 0.0))
    boxes = _bench("chair", (centre[0], 0.0, centre[2]), f, 44.0, 44.0, seat, floor)
    back = add(centre, mul(f, -20.5))
    boxes.append(_slab("chair.back", (back[0], seat + 21.0, back[2]), f, (3.0, 42.0, 44.0)))
    return boxes


def _extent(panels: list[Panel]) -> tuple[float, float, float, float]:
    """World x and z extent of every body."""
    xs = [c[0] + s * r for pn in panels for p in pn.body.parts
          for c, r in ((p.a, p.ra), (p.b, p.rb)) for s in (-1, 1)]
    zs = [c[2] + s * r for pn in panels for p in pn.body.parts
          for c, r in ((p.a, p.ra), (p.b, p.rb)) for s in (-1, 1)]
    return min(xs), max(xs), min(zs), max(zs)


def _blocks(figure: Figure, panels: list[Panel], floor: float) -> list[Box]:
    """Mat, step, table, wall, door frame and band post blocks."""
    x0, x1, z0, z1 = _extent(panels)
    x, z = (x0 + x1) / 2, (z0 + z1) / 2
    ex = (1.0, 0.0, 0.0)
    boxes = []
    if figure.prop("mat") is not None:
        boxes.append(_slab("mat", (x, MAT / 2, z), ex, (x1 - x0 + 12, MAT, max(z1 - z0 + 12, 60))))
    if figure.prop("step") is not None:
        boxes.append(_slab("step", (0.0, floor + STEP / 2, 0.0), ex, (40.0, STEP, 60.0)))
    table, wall = figure.prop("table"), figure.prop("wall")
    if table is not None and "at" in table:  # a small table the hand rests on
        under = point(panels[0].body, table["at"])
        near = [c[1] - r for p in panels[0].body.parts for c, r in ((p.a, p.ra), (p.b, p.rb))
                if math.dist(c, under) < 8.0]  # the hand and the wrist rest on its top
        boxes += _bench("table", (under[0], 0.0, under[2]), _facing(panels[0], "front"), 60.0,
                        60.0, min(near), floor)
    elif table is not None:
        boxes += _bench("table", (x, 0.0, z), ex, x1 - x0 + 10, max(z1 - z0 + 10, 60), TABLE,
                        floor)
    if wall is not None:
        gap = 1.0 + wall.get("gap", 0)  # cm between the figure and the wall
        x = x1 + gap + 2.0 if wall.get("side") == "front" else x0 - gap - 2.0
        boxes.append(_slab("wall", (x, 100.0, z), ex, (4.0, 200.0, max(z1 - z0 + 40, 100))))
    door, band = figure.prop("door"), figure.prop("band")
    if door is not None:
        boxes += _door(panels[0], door.get("at", "hands"))
    if band is not None and band.get("to") in POSTS:
        tie = band_tie(figure, panels)
        f = _facing(panels[0], band["to"])
        post = add(tie, mul(f, 3.0))
        boxes.append(_slab("post", (post[0], floor + DOOR / 2, post[2]), f, (6.0, DOOR, 10.0)))
    return boxes


def _facing(panel: Panel, side: str) -> Vec:
    """The horizontal world direction of the body's front, back, left or right."""
    column_of = {"front": (0, 1.0), "back": (0, -1.0), "right": (2, 1.0), "left": (2, -1.0)}
    i, sign = column_of[side]
    d = column(panel.body.pelvis, i)
    return unit((d[0] * sign, 0.0, d[2] * sign))


def _door(panel: Panel, at: str) -> list[Box]:
    """A door frame whose posts stand just in front of the named pair of points (the hands)."""
    f = _facing(panel, "front")
    ends = [panel.body.points[f"{side}_{PAIRS.get(at, 'hand')}"] for side in ("left", "right")]
    posts = []
    for end in ends:  # touching the front of the hand (or whatever is within 8 cm of the point)
        reach = max(dot(sub(c, end), f) + r for p in panel.body.parts
                    for c, r in ((p.a, p.ra), (p.b, p.rb)) if math.dist(c, end) < 8.0)
        posts.append(add(end, mul(f, reach + 5.0)))
    boxes = [_slab("door", (p[0], DOOR / 2, p[2]), f, (10.0, DOOR, 10.0)) for p in posts]
    middle = mean(posts)
    width = math.dist(posts[0], posts[1]) + 10.0
    boxes.append(_slab("door", (middle[0], DOOR + 5.0, middle[2]), f, (10.0, 10.0, width)))
    return boxes


def band_tie(figure: Figure, panels: list[Panel]) -> Vec:
    """Where a band tied to a post is fixed: beside its held end in the first panel."""
    band = figure.prop("band") or {}
    held = point(panels[0].body, band.get("from", "right_hand"))
    return add(held, mul(_facing(panels[0], band["to"]), TIE))


def shapes(figure: Figure, cam: Camera, panels: list[Panel], boxes: list[Box], index: int,
           where: Path) -> list[Shape]:
    """Everything drawn in one panel, back to front."""
    panel = panels[index]
    out = [Shape("polygon", tuple(face), fill=PROP_TOP if top else PROP, depth=depth, thin=True,
                 clip=box.name == "mat")
           for box in boxes for face, depth, top in box.faces(cam)]
    out.sort(key=lambda s: s.depth)
    if not any(b.name in {"mat", "step", "table.top"} for b in boxes):
        out.append(_floor(cam, panels))
    towel = figure.prop("towel")
    out += _body(figure, cam, panel.body, _towel(cam, panel.body, towel) if towel else [])
    out += _loose(figure, cam, panel.body, panels, boxes)
    if figure.gaze:
        out.append(_gaze(cam, panel.body))
    if figure.spine:
        out.append(_spine(cam, panel.body))
    if figure.blades:
        out += _blades(cam, panels, index)
    out += [_pump(cam, panel.body, side) for side, every in figure.ankle_pumps
            if every or index == len(panels) - 1]
    if index == len(panels) - 1:
        out += [_circle(cam, panel.body, side) for side in figure.ankle_circles]
    floor = MAT if figure.prop("mat") is not None else 0.0
    if index == len(panels) - 1:
        out += [s for name, bar in figure.presses
                for s in _press(cam, panel.body, name, floor, bar)]
    out += [_arrow(cam, panels, a, floor, where) for a in figure.arrows if a.panel == index + 1]
    return out


def _floor(cam: Camera, panels: list[Panel]) -> Shape:
    """The floor as a line across the picture, a little wider than the bodies."""
    h = unit((cam.right[0], 0.0, cam.right[2]))
    along = [dot(c, h) + s * r for pn in panels for p in pn.body.parts
             for c, r in ((p.a, p.ra), (p.b, p.rb)) for s in (-1, 1)]
    a, b = cam.xy(mul(h, min(along) - 12)), cam.xy(mul(h, max(along) + 12))
    return Shape("line", (a, b), thin=True, clip=True)


def _colour(figure: Figure, cam: Camera, body: Body, part: Part) -> str:
    if part.name.endswith("_eye"):
        return INK
    far = part.side and dot(mul(column(body.pelvis, 2), part.side), cam.toward) < -0.25
    chest = part.name == "girdle" and "chest" in figure.moving  # the chest's shoulders
    if part.limb in figure.moving or part.name in figure.moving or chest:
        return ACCENT_FAR if far else ACCENT
    return FAR if far else BODY


def _depth(cam: Camera, part: Part) -> float:
    """How near a part is drawn: its middle's depth plus the part's tie-breaking bias."""
    return (cam.project(part.a)[2] + cam.project(part.b)[2]) / 2 + part.order


def _body(figure: Figure, cam: Camera, body: Body, props: list[Shape]) -> list[Shape]:
    """The body's capsules and the ``props`` among them (a towel under the knee or the head),
    sorted far to near; a union's parts share their mean depth.

    The eyes are dots on the head, drawn right after it and only on the side facing the camera.
    """
    items = []
    head = next(p for p in body.parts if p.name == "head")
    head_depth = _depth(cam, head)
    for part in body.parts:
        (ax, ay, ad), (bx, by, bd) = cam.project(part.a), cam.project(part.b)
        depth = (ad + bd) / 2 + part.order
        if part.name.endswith("_eye"):
            if dot(unit(sub(part.a, head.b)), cam.toward) < 0.0:
                continue
            depth = head_depth + 0.01
        items.append(Shape("capsule", ((ax, ay), (bx, by)), (part.ra, part.rb),
                           _colour(figure, cam, body, part), depth, part.union))
    back = mul(column(body.head, 0), -1.0)
    if dot(back, cam.toward) > 0.5:  # seen from behind: hair, so the head is not a blank face
        up, right = column(body.head, 1), column(body.head, 2)
        for s in (-1, 1):  # ears behind the head's outline, hair over its upper back
            ear = cam.xy(add(head.b, add(mul(up, -3.5), mul(right, 9.6 * s))))
            items.append(Shape("capsule", (ear, ear), (2.7, 2.7), BODY, head_depth - 0.02))
        hair = cam.xy(add(head.b, add(mul(back, 1.0), mul(up, 1.2))))
        items.append(Shape("capsule", (hair, hair), (9.2, 9.2), HAIR, head_depth + 0.02))
    items += props
    items += [_fingers(figure, cam, body, segment, hand) for segment in figure.grips
              for hand in gripping(body, segment)]
    items += [s for side in figure.nerves for s in _nerve(cam, body, side)]
    unions: dict[str, list[float]] = {}
    for s in items:
        if s.union:
            unions.setdefault(s.union, []).append(s.depth)
    key = {u: sum(d) / len(d) for u, d in unions.items()}
    return sorted(items, key=lambda s: key[s.union] + 0.1 if s.union else s.depth)


def _fingers(figure: Figure, cam: Camera, body: Body, segment: str, hand: str) -> Shape:
    """A hand's fingers wrapped round the front of the segment it holds: a short capsule across
    the segment, from the edge its wrist is on, drawn over it (the palm stays behind)."""
    parts = {p.name: p for p in body.parts}
    seg, palm = parts[segment], parts[hand]
    (ax, ay, ad), (bx, by, bd) = cam.project(seg.a), cam.project(seg.b)
    (hx, hy), (wx, wy) = cam.xy(lerp(palm.a, palm.b, 0.5)), cam.xy(palm.a)
    length = math.hypot(bx - ax, by - ay) or 1.0
    ux, uy = (bx - ax) / length, (by - ay) / length
    t = max(0.0, min(length, (hx - ax) * ux + (hy - ay) * uy))
    cx, cy = ax + ux * t, ay + uy * t
    radius = seg.ra + (seg.rb - seg.ra) * t / length
    side = 1.0 if (wx - cx) * -uy + (wy - cy) * ux >= 0 else -1.0  # the wrist's edge
    nx, ny = -uy * side, ux * side
    return Shape("capsule", ((cx + nx * radius, cy + ny * radius),
                             (cx - nx * (radius - 1.5), cy - ny * (radius - 1.5))),
                 (palm.rb * 0.9, palm.rb * 0.8), _colour(figure, cam, body, palm),
                 (ad + bd) / 2 + seg.order + 0.01)


def _nerve(cam: Camera, body: Body, side: str) -> list[Shape]:
    """The sciatic nerve of one leg as a line down the back of it: from the buttock behind the
    thigh, the knee and the calf to the heel. Each segment's stretch is drawn just over that
    segment, and left out where the segment's back faces away from the camera."""
    parts = {p.name: p for p in body.parts}
    thigh, shank = (parts[f"{side}_{name}"] for name in ("thigh", "shank"))
    back = {name: mul(column(body.frames[f"{side}_{name}"], 0), -1.0)
            for name in ("thigh", "shank")}
    behind_knee = unit(add(back["thigh"], back["shank"]))

    def along(part: Part, name: str, t: float) -> Vec:
        radius = part.ra + (part.rb - part.ra) * t
        return add(lerp(part.a, part.b, t), mul(back[name], radius * NERVE_DEPTH))

    buttock = add(thigh.a, add(mul(column(body.pelvis, 0), -6.0), mul(column(body.pelvis, 1), 3.0)))
    knee = add(thigh.b, mul(behind_knee, shank.ra * NERVE_DEPTH))
    runs = {
        "thigh": (thigh, [buttock] + [along(thigh, "thigh", t) for t in (0.3, 0.6, 0.85)] + [knee]),
        "shank": (shank, [knee] + [along(shank, "shank", t) for t in (0.3, 0.6, 0.9)]
                  + [body.points[f"{side}_heel"]]),
    }
    out = []
    for name, (part, pts) in runs.items():
        if dot(back[name], cam.toward) < -0.4:
            continue
        out.append(Shape("nerve", tuple(cam.xy(p) for p in pts), depth=_depth(cam, part) + 0.01))
    return out


def _loose(figure: Figure, cam: Camera, body: Body, panels: list[Panel],
           boxes: list[Box]) -> list[Shape]:
    """Band, ball and stick, placed on the body; a band may be tied to the wall ahead
    or to a door post."""
    out = []
    ball, band = figure.prop("ball"), figure.prop("band")
    stick = figure.prop("stick")
    if band is not None:
        held, to = band.get("from", "right_hand"), band.get("to", "right_foot")
        start = point(body, held)
        if to == "wall":
            wall = next(b for b in boxes if b.name == "wall")
            end = (wall.centre[0] - wall.half[0], start[1], start[2])
        elif to in POSTS:
            end = band_tie(figure, panels)
        else:
            end = point(body, to)
        if to in ("wall", *POSTS) and not held.endswith(("hand", "hands")):
            start = sub(start, mul(unit(sub(end, start)), WRAP))  # round the limb, from behind
        out.append(Shape("line", (cam.xy(start), cam.xy(end))))
        if to in ("wall", *POSTS):  # the fixing it is tied to: a dark plate on the wall or post
            plate = (0.0, FIXING / 2, 0.0)
            out.append(Shape("capsule", (cam.xy(add(end, plate)), cam.xy(sub(end, plate))),
                             (2.2, 2.2), PROP_INK))
    if stick is not None:
        a, b = (point(body, stick.get(k, d)) for k, d in (("from", "left_hand"),
                                                         ("to", "right_hand")))
        past = mul(unit(sub(b, a)), 12.0)
        out.append(Shape("capsule", (cam.xy(sub(a, past)), cam.xy(add(b, past))), (1.8, 1.8),
                         PROP_INK))
    if ball is not None:
        c = point(body, ball.get("at", "knees"))
        x, y, d = cam.project(c)
        r = ball.get("size", 25) / 2
        out.append(Shape("capsule", ((x, y), (x, y)), (r, r), PROP_TOP, d + 50))
    return out


def _towel(cam: Camera, body: Body, towel: dict) -> list[Shape]:
    """A rolled towel on the floor under a point, ``size`` cm thick (8 by default), 40 cm long
    across the body (along its front when the body lies on its side: a pillow for the head);
    white, with a stripe across it near each end where its length shows."""
    c = point(body, towel.get("at", "pelvis"))
    r = towel.get("size", 8) / 2
    across = column(body.pelvis, 2)
    if abs(across[1]) > 0.7:
        across = column(body.pelvis, 0)
    side = mul(unit((across[0], 0.0, across[2])), 20.0)
    a, b = sub(c, side), add(c, side)
    a, b = (a[0], r, a[2]), (b[0], r, b[2])
    (ax, ay, ad), (bx, by, bd) = cam.project(a), cam.project(b)
    depth = (ad + bd) / 2
    roll = [Shape("capsule", ((ax, ay), (bx, by)), (r, r), TOWEL, depth)]
    length = math.hypot(bx - ax, by - ay)
    if length < 2 * r:
        return roll
    nx, ny = (ay - by) / length * r * 0.9, (bx - ax) / length * r * 0.9
    for t in (0.2, 0.8):
        x, y = ax + (bx - ax) * t, ay + (by - ay) * t
        roll.append(Shape("line", ((x - nx, y - ny), (x + nx, y + ny)), depth=depth, thin=True))
    return roll


def _gaze(cam: Camera, body: Body) -> Shape:
    """A dashed line from the face in the direction the head faces."""
    ahead = column(body.head, 0)
    start = add(body.points["nose"], mul(ahead, 3.0))
    return Shape("line", (cam.xy(start), cam.xy(add(start, mul(ahead, 26.0)))), dashed=True)


def _spine(cam: Camera, body: Body) -> Shape:
    """A line a little off the back, from the buttocks to the neck: the back's curve."""
    names = ("pelvis", "waist", "chest", "neck")
    spine = [body.points[n] for n in names]
    side = column(body.pelvis, 2)
    front = column(body.pelvis, 0)
    pts = []
    for i, p in enumerate(spine):
        along = unit(sub(spine[min(i + 1, 3)], spine[max(i - 1, 0)]))
        back = unit(cross(side, along))
        if dot(back, front) > 0:
            back = mul(back, -1.0)
        pts.append(add(p, mul(back, (15.0, 13.5, 14.5, 11.0)[i])))
    pts = [add(pts[0], mul(sub(pts[0], pts[1]), 0.25)), *pts]
    curve = []
    for i in range(len(pts) - 1):
        p0, p1 = pts[max(i - 1, 0)], pts[i]
        p2, p3 = pts[min(i + 1, len(pts) - 1)], pts[min(i + 2, len(pts) - 1)]
        for k in range(6):
            t = k / 6
            curve.append(tuple(0.5 * (2 * p1[j] + (p2[j] - p0[j]) * t
                                      + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t * t
                                      + (3 * p1[j] - p0[j] - 3 * p2[j] + p3[j]) * t ** 3)
                               for j in range(3)))
    curve.append(pts[-1])
    return Shape("line", tuple(cam.xy(p) for p in curve))


def _blades(cam: Camera, panels: list[Panel], index: int) -> list[Shape]:
    """The shoulder blades on the back in the accent tone (when the back faces the camera),
    nearer the spine the more they are drawn back (shoulder ``retract``: 4 cm at the full 20°);
    where they move closer in the next panel, an arrow under each points to the spine."""
    panel = panels[index]
    p = panel.body.points
    up = unit(sub(p["neck"], p["chest"]))
    right = unit(sub(p["right_shoulder"], p["left_shoulder"]))
    back = cross(right, up)  # x = up × right is the body's front
    if dot(back, cam.toward) < 0.3:
        return []

    def inner(pn: Panel, side: str) -> float:
        return 7.5 - 0.2 * pn.pose.angles[f"{side}_shoulder"]["retract"]

    def at(u: float, w: float) -> Point2:
        return cam.xy(add(add(add(p["chest"], mul(back, 10.5)), mul(up, u)), mul(right, w)))

    out, arrows = [], []
    for side, s in (("left", -1.0), ("right", 1.0)):
        m = inner(panel, side)
        corners = ((15.0, m), (-4.0, m + 2.0), (13.5, m + 11.5))  # up, sideways (cm)
        out.append(Shape("polygon", tuple(at(u, s * w) for u, w in corners), fill=ACCENT))
        if index + 1 < len(panels) and inner(panels[index + 1], side) < m - 1.0:
            arrows.append(Shape("arrow", (at(0.0, s * (m + 12.0)), at(0.0, s * 4.0)), heads=1))
    return out + arrows


def _pump(cam: Camera, body: Body, side: str) -> Shape:
    """A two-way arc around the ankle beyond the toes: foot up, foot down."""
    ax, ay = cam.xy(body.points[f"{side}_ankle"])
    tx, ty = cam.xy(body.points[f"{side}_toes"])
    r = math.hypot(tx - ax, ty - ay) + 6.0
    mid = math.atan2(ty - ay, tx - ax)
    pts = tuple((ax + r * math.cos(mid + math.radians(a)), ay + r * math.sin(mid + math.radians(a)))
                for a in range(-60, 61, 8))
    return Shape("arrow", pts, heads=2)


def _press(cam: Camera, body: Body, name: str, floor: float, bar: bool) -> list[Shape]:
    """A point pressed down onto the floor: an arrow straight down through the body, with
    ``bar`` onto a dark bar on the floor under the point (pushing, not moving)."""
    p = point(body, name)
    top = max(c[1] + r for part in body.parts for c, r in ((part.a, part.ra), (part.b, part.rb))
              if math.dist((c[0], c[2]), (p[0], p[2])) < 12.0)
    base = (p[0], floor, p[2])
    side = mul(unit(cross(UP, cam.toward)), 7.0)
    arrow = Shape("arrow", (cam.xy(add(base, (0.0, top - floor + 12.0, 0.0))),
                            cam.xy(add(base, (0.0, 2.5, 0.0)))), heads=1)
    if not bar:
        return [arrow]
    return [arrow, Shape("capsule", (cam.xy(sub(base, side)), cam.xy(add(base, side))),
                         (1.3, 1.3), INK)]


def _circle(cam: Camera, body: Body, side: str) -> Shape:
    """A circular arrow around the foot (300° of a circle round its middle): foot circles."""
    ax, ay = cam.xy(body.points[f"{side}_ankle"])
    tx, ty = cam.xy(body.points[f"{side}_toes"])
    cx, cy = ax + (tx - ax) * 0.6, ay + (ty - ay) * 0.6
    r = 0.6 * math.hypot(tx - ax, ty - ay) + 6.0
    start = math.atan2(ty - ay, tx - ax) + math.radians(40)  # the gap beyond the toes
    turns = [start + math.radians(a) for a in range(0, 301, 12)]
    pts = tuple((cx + r * math.cos(t), cy + r * math.sin(t)) for t in turns)
    return Shape("arrow", pts, heads=1)


def _track(panels: list[Panel], i: int, name: str) -> list[Vec]:
    """World path of a point from panel ``i - 1`` to panel ``i``."""
    a, b = panels[i - 1], panels[i]
    pa, pb = POSTURES[a.pose.posture], POSTURES[b.pose.posture]
    if (pa.front, pa.up) != (pb.front, pb.up):
        return [point(a.body, name), point(b.body, name)]
    path = []
    for k in range(13):
        t = k / 12
        pose = a.pose.towards(b.pose, t)
        body = pose_body(pose.pelvis(), pose.angles)
        path.append(add(point(body, name), lerp(a.shift, b.shift, t)))
    return path


def _arrow(cam: Camera, panels: list[Panel], arrow: Arrow, floor: float, where: Path) -> Shape:
    """The arrow along a point's path, drawn on the panel where the movement starts.

    It begins at the moving part, set off it by ``arrow.offset`` cm (away from the middle of
    the body, in the picture plane) and never dips under the floor.
    """
    index, offset, nudge = arrow.panel, arrow.offset, arrow.nudge
    track = _track(panels, index, arrow.point)
    if arrow.straight:
        track = [lerp(track[0], track[-1], k / 12) for k in range(13)]
    pts = [cam.xy(p) for p in track]
    length = sum(math.dist(p, q) for p, q in zip(pts, pts[1:], strict=False))
    if length < 2.0:
        raise SourceError(f"figure.arrow: the {arrow.point} hardly moves ({length:.1f} cm "
                          "on the picture)", where)
    centre = mean([(x, y, 0.0) for p in panels[index - 1].body.parts
                   for x, y in (cam.xy(p.a), cam.xy(p.b))])
    mid = pts[len(pts) // 2]
    ox, oy, _ = unit((mid[0] - centre[0], mid[1] - centre[1], 0.0))
    shift = add(mul(cam.right, ox * offset + nudge[0]), mul(cam.up, -oy * offset + nudge[1]))
    moved = _bent([add(p, shift) for p in track], cam, arrow.bend)
    moved = [(x, max(y, floor + ARROW_CLEARANCE), z) for x, y, z in moved]
    least = 40.0 if arrow.both else 28.0
    return Shape("arrow", tuple(_stretch([cam.xy(p) for p in moved], least, arrow.both)),
                 heads=2 if arrow.both else 1)


def _bent(track: list[Vec], cam: Camera, bend: float) -> list[Vec]:
    """The path bowed out ``bend`` cm to its left on the picture (a sine over its length)."""
    if not bend:
        return track
    (x0, y0), (x1, y1) = cam.xy(track[0]), cam.xy(track[-1])
    chord = math.hypot(x1 - x0, y1 - y0) or 1.0
    nx, ny = (y1 - y0) / chord, -(x1 - x0) / chord  # screen y points down
    side = add(mul(cam.right, nx), mul(cam.up, -ny))
    steps = [0.0]
    for p, q in zip(track, track[1:], strict=False):
        steps.append(steps[-1] + math.dist(cam.xy(p), cam.xy(q)))
    total = steps[-1] or 1.0
    return [add(p, mul(side, bend * math.sin(math.pi * d / total))) for p, d in zip(track, steps,
                                                                                     strict=True)]


def _stretch(pts: list[Point2], least: float, both: bool) -> list[Point2]:
    """Lengthen a short path to ``least`` cm: at its head (at both ends if two-way)."""
    length = sum(math.dist(p, q) for p, q in zip(pts, pts[1:], strict=False))
    if length >= least:
        return pts
    extra = (least - length) / 2
    if not both:
        (x2, y2), (x3, y3) = pts[-2], pts[-1]
        d1 = max(math.dist(pts[-2], pts[-1]), 1e-6)
        return [*pts, (x3 + (x3 - x2) / d1 * 2 * extra, y3 + (y3 - y2) / d1 * 2 * extra)]
    (x0, y0), (x1, y1) = pts[0], pts[1]
    (x2, y2), (x3, y3) = pts[-2], pts[-1]
    d0, d1 = max(math.dist(pts[0], pts[1]), 1e-6), max(math.dist(pts[-2], pts[-1]), 1e-6)
    head = (x0 - (x1 - x0) / d0 * extra, y0 - (y1 - y0) / d0 * extra)
    tail = (x3 + (x3 - x2) / d1 * extra, y3 + (y3 - y2) / d1 * extra)
    return [head, *pts, tail]
