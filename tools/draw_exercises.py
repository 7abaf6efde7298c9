"""Draw the illustrations of the leaflet-gen exercise library (leaflets/exercises/<id>.svg).

Every picture uses one parametric stick figure, posed from anatomical joint angles (or, for a
hand or foot that must rest on a given spot, from a two-bone solve towards that spot). The
segment lengths are fixed and the scale is the same in every picture, so the proportions never
change. The figure is built in 3-D and drawn with an orthographic camera: most exercises are
seen straight from the side, the few that happen across the body (side lying, the crossed leg
of the piriformis stretch) from a little above.

Each SVG shows the start position (grey, dashed), the end position (solid black) and arrows
for the movement, all with the same 3 px stroke. There is no text in the pictures; the Danish
``<title>`` and ``<desc>`` carry the meaning for screen readers.

Run from the repository root (standard library only, the output is deterministic)::

    .venv/bin/python tools/draw_exercises.py           # write the SVG files
    .venv/bin/python tools/draw_exercises.py --check   # exit 1 if a file is out of date
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

OUT_DIR = Path(__file__).resolve().parents[1] / "leaflets" / "exercises"

# Picture.
VIEW_W, VIEW_H = 300, 200
MARGIN = 8
STROKE = 3
BLACK, GREY, WHITE = "#000", "#888", "#fff"
DASH = "4 6"
SCALE = 1.25  # world units (below) to picture px

# The figure, in world units (about 145 tall when standing).
TORSO = 44
NECK = 6
HEAD_R = 10
UPPER_ARM = 26
FOREARM = 22
THIGH = 35
SHIN = 35
FOOT = 11
HIP_HALF = 7
SHOULDER_HALF = 10
ANKLE_H = 5  # ankle height above the floor when the foot is flat
LIE_H = 10  # height of the spine line when lying on the back or the front
SEAT = 35.0  # seat height of the chair

Vec = tuple[float, float, float]
Mat = tuple[Vec, Vec, Vec]
IDENTITY: Mat = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


# --------------------------------------------------------------------------- vectors
# World coordinates: x to the right, y up (floor at y = 0), z towards the viewer.


def add(a: Vec, b: Vec) -> Vec:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def sub(a: Vec, b: Vec) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def mul(a: Vec, k: float) -> Vec:
    return (a[0] * k, a[1] * k, a[2] * k)


def dot(a: Vec, b: Vec) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def cross(a: Vec, b: Vec) -> Vec:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def norm(a: Vec) -> float:
    return math.sqrt(dot(a, a))


def unit(a: Vec) -> Vec:
    n = norm(a)
    return mul(a, 1.0 / n) if n > 1e-9 else (0.0, 0.0, 0.0)


def apply(m: Mat, v: Vec) -> Vec:
    return (dot(m[0], v), dot(m[1], v), dot(m[2], v))


def matmul(a: Mat, b: Mat) -> Mat:
    cols = [(b[0][j], b[1][j], b[2][j]) for j in range(3)]
    r0, r1, r2 = (tuple(dot(row, col) for col in cols) for row in a)
    return (r0, r1, r2)  # type: ignore[return-value]


def rot_x(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((1.0, 0.0, 0.0), (0.0, c, -s), (0.0, s, c))


def rot_z(deg: float) -> Mat:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return ((c, -s, 0.0), (s, c, 0.0), (0.0, 0.0, 1.0))


def rotate(v: Vec, axis: Vec, deg: float) -> Vec:
    """Rotate ``v`` about ``axis`` (right-hand rule) by ``deg`` degrees (Rodrigues)."""
    k = unit(axis)
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    return add(add(mul(v, c), mul(cross(k, v), s)), mul(k, dot(k, v) * (1 - c)))


def polar(deg: float, length: float = 1.0) -> Vec:
    """A vector in the picture plane at ``deg`` degrees (0 = right, 90 = up)."""
    r = math.radians(deg)
    return (math.cos(r) * length, math.sin(r) * length, 0.0)


def up(v: Vec, dy: float, dx: float = 0.0) -> Vec:
    """``v`` moved up by ``dy`` and right by ``dx``."""
    return (v[0] + dx, v[1] + dy, v[2])


# --------------------------------------------------------------------------- the figure


@dataclass
class Limb:
    """One arm or leg.

    Angles are anatomical and in degrees: ``flex`` at the shoulder or hip, ``bend`` at the
    elbow or knee, ``ankle`` dorsiflexion (negative: pointed foot). ``abd`` and ``lat`` tilt the
    upper and lower segment out of the body's sagittal plane (positive: away from the body);
    ``twist`` turns the elbow or knee about the line from the shoulder/hip to the hand/ankle.
    With ``target`` the hand or ankle is put on that point (world coordinates) and the elbow or
    knee points towards ``pole``. ``foot`` gives the foot direction in the picture plane and
    ``toe`` as a world vector.
    """

    flex: float = 0.0
    bend: float = 0.0
    ankle: float = 0.0
    abd: float = 0.0
    lat: float = 0.0
    twist: float = 0.0
    target: Vec | None = None
    pole: Vec | None = None
    foot: float | None = None
    toe: Vec | None = None


@dataclass
class Pose:
    """The whole body: pelvis position, trunk direction and the four limbs.

    ``trunk`` is the direction from pelvis to shoulders in the body's sagittal plane; ``facing``
    is +1 when the front of the body is clockwise from ``trunk`` (a figure standing and facing
    right) and -1 when mirrored. ``spine`` rounds the back (negative: hollow back) and ``neck``
    bends the head forward (negative: head tilted back). ``frame`` turns the whole body about
    the pelvis (side lying). The "near" limbs are on the viewer's side of the body.
    """

    pelvis: Vec
    trunk: float = 90.0
    facing: int = 1
    spine: float = 0.0
    neck: float = 0.0
    arm_near: Limb = field(default_factory=Limb)
    arm_far: Limb = field(default_factory=Limb)
    leg_near: Limb = field(default_factory=Limb)
    leg_far: Limb = field(default_factory=Limb)
    frame: Mat = IDENTITY
    hip_half: float = HIP_HALF
    shoulder_half: float = SHOULDER_HALF


@dataclass
class Body:
    """Solved joint positions (world coordinates) and the line work of one pose."""

    points: dict[str, Vec]
    lines: list[tuple[str, list[Vec]]]  # (kind, points); kind is "line" or "curve"
    head: Vec
    face: Vec
    crown: Vec


def _two_bone(root: Vec, target: Vec, pole: Vec, a: float, b: float) -> tuple[Vec, Vec]:
    """Middle and end joint of a two-segment limb reaching for ``target``."""
    d = sub(target, root)
    dist = min(max(norm(d), abs(a - b) + 0.01), a + b - 0.01)
    u = unit(d)
    along = (a * a - b * b + dist * dist) / (2 * dist)
    height = math.sqrt(max(a * a - along * along, 0.0))
    side = sub(pole, mul(u, dot(pole, u)))
    if norm(side) < 1e-6:
        side = cross(u, (0.0, 0.0, 1.0))
    mid = add(add(root, mul(u, along)), mul(unit(side), height))
    return mid, add(root, mul(u, dist))


def solve(p: Pose) -> Body:
    """Joint positions and line work of a pose."""
    f = p.facing

    def direction(theta: float, tilt: float = 0.0, side: int = 1) -> Vec:
        t, s = math.radians(theta), math.radians(tilt)
        local = (math.cos(s) * math.cos(t), math.cos(s) * math.sin(t), side * math.sin(s))
        return apply(p.frame, local)

    lateral = apply(p.frame, (0.0, 0.0, 1.0))
    pelvis = p.pelvis
    top = polar(p.trunk, TORSO)
    front = p.trunk - f * 90
    ctrl_local = add(mul(top, 0.5), polar(front, -p.spine))
    shoulder = add(pelvis, apply(p.frame, top))
    ctrl = add(pelvis, apply(p.frame, ctrl_local))
    upper = math.degrees(math.atan2(top[1] - ctrl_local[1], top[0] - ctrl_local[0]))
    lower = math.degrees(math.atan2(ctrl_local[1], ctrl_local[0]))
    neck_dir = upper - f * p.neck
    head = add(shoulder, mul(direction(neck_dir), NECK + HEAD_R))
    pts: dict[str, Vec] = {"pelvis": pelvis, "shoulder": shoulder, "head": head}
    lines: list[tuple[str, list[Vec]]] = []

    def limb(name: str, spec: Limb, root: Vec, base: float, side: int, leg: bool) -> None:
        a, b = (THIGH, SHIN) if leg else (UPPER_ARM, FOREARM)
        if spec.target is not None:
            pole = spec.pole or direction(front if leg else front + 180)
            mid, end = _two_bone(root, spec.target, pole, a, b)
        else:
            t1 = base + 180 + f * spec.flex
            t2 = t1 - f * spec.bend if leg else t1 + f * spec.bend
            mid = add(root, mul(direction(t1, spec.abd, side), a))
            end = add(mid, mul(direction(t2, spec.lat, side), b))
        if spec.twist:
            mid = add(root, rotate(sub(mid, root), sub(end, root), spec.twist * side))
        chain = [root, mid, end]
        pts.update({f"{name}_root": root, f"{name}_mid": mid, f"{name}_end": end})
        if leg:
            if spec.toe is not None:
                toe_dir = unit(spec.toe)
            elif spec.foot is not None:
                toe_dir = polar(spec.foot)
            else:
                toe_dir = rotate(unit(sub(end, mid)), lateral, f * (90 + spec.ankle))
            chain.append(add(end, mul(toe_dir, FOOT)))
            pts[f"{name}_toe"] = chain[-1]
        lines.append(("line", chain))

    hip_n, hip_f = add(pelvis, mul(lateral, p.hip_half)), sub(pelvis, mul(lateral, p.hip_half))
    sh_n = add(shoulder, mul(lateral, p.shoulder_half))
    sh_f = sub(shoulder, mul(lateral, p.shoulder_half))
    limb("arm_far", p.arm_far, sh_f, upper, -1, False)
    limb("leg_far", p.leg_far, hip_f, lower, -1, True)
    lines.append(("line", [hip_f, hip_n]))
    lines.append(("line", [sh_f, sh_n]))
    lines.append(("curve", [pelvis, ctrl, shoulder]))
    lines.append(("line", [shoulder, add(shoulder, mul(direction(neck_dir), NECK + 1))]))
    limb("leg_near", p.leg_near, hip_n, lower, 1, True)
    limb("arm_near", p.arm_near, sh_n, upper, 1, False)
    return Body(pts, lines, head, direction(neck_dir - f * 90), direction(neck_dir))


def place(pose: Pose, joint: str, at: Vec) -> Pose:
    """The same pose, moved so that ``joint`` lands on ``at``."""
    pose.pelvis = add(pose.pelvis, sub(at, solve(pose).points[joint]))
    return pose


# --------------------------------------------------------------------------- drawing


@dataclass
class Camera:
    """Orthographic view; ``elev`` looks down on the scene, ``azim`` turns it about the vertical."""

    elev: float = 0.0
    azim: float = 0.0

    def project(self, v: Vec) -> tuple[float, float, float]:
        """Picture x, picture y (downwards) and depth (larger is nearer) of a world point."""
        a, e = math.radians(self.azim), math.radians(self.elev)
        x1 = v[0] * math.cos(a) + v[2] * math.sin(a)
        z1 = -v[0] * math.sin(a) + v[2] * math.cos(a)
        height = v[1] * math.cos(e) - z1 * math.sin(e)
        depth = v[1] * math.sin(e) + z1 * math.cos(e)
        return x1 * SCALE, -height * SCALE, depth


@dataclass
class Shape:
    """One drawn element in picture coordinates."""

    kind: str  # "poly", "curve", "circle", "dot", "polygon"
    pts: list[tuple[float, float]]
    depth: float = 0.0
    radius: float = 0.0
    fill: str = "none"


@dataclass
class Arrow:
    """A movement arrow from ``start`` to ``end`` (world points); ``bow`` bends it (picture px)."""

    start: Vec
    end: Vec
    bow: float = 0.0
    both: bool = False


Prop = Callable[[Camera], list[Shape]]


@dataclass
class Scene:
    id: str
    title: str
    desc: str
    start: Pose
    end: Pose
    arrows: list[Arrow]
    props: list[Prop] = field(default_factory=list)
    camera: Camera = field(default_factory=Camera)
    floor: bool = True
    floor_z: float = 0.0  # the floor line is drawn where the floor is at this depth


def body_shapes(body: Body, cam: Camera) -> list[Shape]:
    shapes = []
    for kind, pts in body.lines:
        proj = [cam.project(p) for p in pts]
        flat = [(x, y) for x, y, _ in proj]
        if kind == "line" and len(flat) == 2 and math.dist(*flat) < 2.5:
            continue  # a hip or shoulder bar seen end-on
        depth = sum(d for _, _, d in proj) / len(proj)
        shapes.append(Shape("curve" if kind == "curve" else "poly", flat, depth))
    hx, hy, hd = cam.project(body.head)
    shapes.append(Shape("circle", [(hx, hy)], hd + 0.01, HEAD_R * SCALE, fill=WHITE))
    # An eye shows which way the face points (left out when the face looks at the viewer).
    fx, fy, _ = cam.project(add(body.head, body.face))
    if math.hypot(fx - hx, fy - hy) > 0.4 * SCALE:
        eye = add(body.head, add(mul(body.face, HEAD_R * 0.45), mul(body.crown, HEAD_R * 0.2)))
        ex, ey, _ = cam.project(eye)
        shapes.append(Shape("dot", [(ex, ey)], hd + 0.02, 0.6))
    return shapes


def box(x0: float, x1: float, y0: float, y1: float, z0: float, z1: float) -> Prop:
    """A box (a mat when flat) with its top and front faces."""

    def draw(cam: Camera) -> list[Shape]:
        def corner(x: float, y: float, z: float) -> tuple[float, float]:
            sx, sy, _ = cam.project((x, y, z))
            return sx, sy

        faces = []
        if cam.elev > 1:
            faces.append(
                [corner(x0, y1, z1), corner(x1, y1, z1), corner(x1, y1, z0), corner(x0, y1, z0)]
            )
        if y1 > y0:
            faces.append(
                [corner(x0, y0, z1), corner(x1, y0, z1), corner(x1, y1, z1), corner(x0, y1, z1)]
            )
        return [Shape("polygon", face, -999, fill=WHITE) for face in faces]

    return draw


def chair(x_front: float, depth: float = 34.0, back: float = 46.0) -> Prop:
    """A chair seen from the side, its seat front at ``x_front`` and its back to the left."""

    def draw(cam: Camera) -> list[Shape]:
        def pt(x: float, y: float) -> tuple[float, float]:
            sx, sy, _ = cam.project((x, y, 0.0))
            return sx, sy

        xb = x_front - depth
        return [
            Shape("poly", [pt(xb, SEAT + back), pt(xb, 0)], -999),
            Shape("poly", [pt(xb, SEAT), pt(x_front, SEAT), pt(x_front, 0)], -999),
        ]

    return draw


def arrow_shapes(arrow: Arrow, cam: Camera) -> list[Shape]:
    """Arrow shaft (a quadratic curve) with a solid triangular head at one or both ends."""
    x0, y0, _ = cam.project(arrow.start)
    x2, y2, _ = cam.project(arrow.end)
    length = math.hypot(x2 - x0, y2 - y0)
    nx, ny = (y2 - y0) / length, -(x2 - x0) / length
    cx, cy = (x0 + x2) / 2 + nx * arrow.bow, (y0 + y2) / 2 + ny * arrow.bow
    head_len, head_half = 10.0, 5.5

    def head(tx: float, ty: float) -> tuple[Shape, float, float]:
        ux, uy = tx - cx, ty - cy
        n = math.hypot(ux, uy)
        ux, uy = ux / n, uy / n
        bx, by = tx - ux * head_len, ty - uy * head_len
        tri = [
            (tx, ty),
            (bx - uy * head_half, by + ux * head_half),
            (bx + uy * head_half, by - ux * head_half),
        ]
        return Shape("polygon", tri, 999, fill=BLACK), tx - ux * 6, ty - uy * 6

    tip, ex, ey = head(x2, y2)
    shapes = [tip]
    sx, sy = x0, y0
    if arrow.both:
        tail, sx, sy = head(x0, y0)
        shapes.append(tail)
    return [Shape("curve", [(sx, sy), (cx, cy), (ex, ey)], 998), *shapes]


def _fmt(v: float) -> str:
    text = f"{v:.1f}"
    return "0" if text == "-0.0" else text.removesuffix(".0")


def _svg(shape: Shape, dx: float, dy: float) -> str:
    pts = [(x + dx, y + dy) for x, y in shape.pts]
    if shape.kind in ("circle", "dot"):
        (x, y), r = pts[0], _fmt(shape.radius)
        paint = f'fill="{shape.fill}"' if shape.kind == "circle" else 'stroke-dasharray="none"'
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{r}" {paint}/>'
    if shape.kind == "curve":
        (x0, y0), (x1, y1), (x2, y2) = pts
        d = f"M{_fmt(x0)} {_fmt(y0)}Q{_fmt(x1)} {_fmt(y1)} {_fmt(x2)} {_fmt(y2)}"
    else:
        d = "M" + "L".join(f"{_fmt(x)} {_fmt(y)}" for x, y in pts)
    if shape.kind == "polygon":
        return f'<path d="{d}Z" fill="{shape.fill}"/>'
    return f'<path d="{d}"/>'


def render(scene: Scene) -> str:
    """The SVG document of one exercise."""
    cam = scene.camera
    start = sorted(body_shapes(solve(scene.start), cam), key=lambda s: s.depth)
    end = sorted(body_shapes(solve(scene.end), cam), key=lambda s: s.depth)
    props = [shape for prop in scene.props for shape in prop(cam)]
    arrows = [shape for arrow in scene.arrows for shape in arrow_shapes(arrow, cam)]
    xs, ys = [], []
    for s in start + end + props + arrows:
        for x, y in s.pts:
            xs += [x - s.radius, x + s.radius]
            ys += [y - s.radius, y + s.radius]
    _, floor_y, _ = cam.project((0.0, 0.0, scene.floor_z))
    if scene.floor:
        ys.append(floor_y)
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    if width > VIEW_W - 2 * MARGIN or height > VIEW_H - 2 * MARGIN:
        sys.exit(f"{scene.id}: the picture is {width:.0f} x {height:.0f} px, too big")
    dx = (VIEW_W - width) / 2 - min(xs)
    dy = (VIEW_H - height) / 2 - min(ys)
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {VIEW_W} {VIEW_H}">',
        f"<title>{escape(scene.title)}</title>",
        f"<desc>{escape(scene.desc)}</desc>",
        f'<g fill="none" stroke="{BLACK}" stroke-width="{STROKE}" stroke-linecap="round"'
        ' stroke-linejoin="round">',
    ]
    if scene.floor:
        lines.append(f'<path d="M{MARGIN} {_fmt(floor_y + dy)}H{VIEW_W - MARGIN}"/>')
    lines += [_svg(s, dx, dy) for s in props]
    lines.append(f'<g stroke="{GREY}" stroke-dasharray="{DASH}">')
    lines += [_svg(s, dx, dy) for s in start]
    lines.append("</g>")
    lines += [_svg(s, dx, dy) for s in end + arrows]
    lines += ["</g>", "</svg>"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the exercises

SCENES: list[Callable[[], Scene]] = []


def scene(fn: Callable[[], Scene]) -> Callable[[], Scene]:
    SCENES.append(fn)
    return fn


def supine(**kw: Any) -> Pose:
    """Lying on the back, head to the left, pelvis at x = 0."""
    return Pose(pelvis=(0.0, LIE_H, 0.0), trunk=180.0, **kw)


def seated(**kw: Any) -> Pose:
    """Sitting on a chair, facing right, pelvis at x = 0."""
    kw.setdefault("trunk", 90.0)
    return Pose(pelvis=(0.0, SEAT + 5, 0.0), **kw)


def all_fours(**kw: Any) -> Pose:
    """On hands and knees, facing right: knees under the hips, hands under the shoulders."""
    trunk = kw.pop("trunk", 14.0)
    shoulder = polar(trunk, TORSO)
    knee = Limb(target=(-SHIN, ANKLE_H, 0.0), foot=180, pole=(1.0, 0.0, 0.0))
    hand = Limb(target=(shoulder[0] + 2, 3.0, 0.0), pole=(-1.0, 0.0, 0.0))
    limbs = {"arm_near": hand, "arm_far": hand, "leg_near": knee, "leg_far": knee}
    limbs.update(kw)
    return Pose(pelvis=(0.0, ANKLE_H + THIGH, 0.0), trunk=trunk, **limbs)


# Lying on the back: arms straight along the body on the floor.
ARMS_ON_FLOOR = Limb(target=(UPPER_ARM + FOREARM - 1 - TORSO, 3.0, 0.0), pole=(0.0, 1.0, 0.0))


@scene
def seated_nerve_glide() -> Scene:
    hands = Limb(target=(5.0, SEAT + 1, 0.0))  # holding the edge of the seat
    other = Limb(target=(THIGH - 4, ANKLE_H, 0.0), foot=0)
    start = seated(
        neck=40,
        arm_near=hands,
        arm_far=hands,
        leg_far=other,
        leg_near=Limb(flex=90, bend=80, ankle=-15),
    )
    end = seated(
        neck=-30,
        arm_near=hands,
        arm_far=hands,
        leg_far=other,
        leg_near=Limb(flex=90, bend=0, ankle=20),
    )
    s, e = solve(start).points, solve(end).points
    return Scene(
        "seated-nerve-glide",
        "Siddende nerveglidning: knæet strækkes, foden trækkes op, og hovedet løftes",
        "Person, der sidder på en stol med hovedet bøjet forover, retter det ene knæ ud og "
        "trækker foden op, mens hovedet løftes og føres let bagover.",
        start,
        end,
        [
            Arrow(up(s["leg_near_toe"], -2, 8), up(e["leg_near_toe"], -8, 6), bow=16),
            Arrow(up(s["head"], -4, 17), up(e["head"], 18, 6), bow=-9),
        ],
        props=[chair(22, depth=40)],
    )


@scene
def piriformis_stretch() -> Scene:
    def pose(other: Limb, pull: bool) -> Pose:
        pts = solve(supine(leg_far=other)).points
        hip, knee = pts["leg_far_root"], pts["leg_far_mid"]
        # The ankle of the crossed (near) leg rests on the front of the other thigh by the knee;
        # its knee points out to the side.
        rest = up(add(hip, mul(sub(knee, hip), 0.8)), 2.0, 0.0)
        crossed = Limb(
            target=add(rest, (0.0, 0.0, 5.0)), pole=(0.2, -0.3, 1.0), toe=(-0.2, 0.0, -1.0)
        )
        if not pull:
            return supine(
                leg_far=other, leg_near=crossed, arm_near=ARMS_ON_FLOOR, arm_far=ARMS_ON_FLOOR
            )
        grip = up(add(hip, mul(sub(knee, hip), 0.5)), 0.0, -4.0)  # behind the thigh
        hands = Limb(target=grip, pole=(0.0, -1.0, 0.0))
        return supine(leg_far=other, leg_near=crossed, arm_near=hands, arm_far=hands)

    start = pose(Limb(target=(48, ANKLE_H, -HIP_HALF), foot=0), False)
    end = pose(Limb(flex=100, bend=105, ankle=-10), True)
    s, e = solve(start).points, solve(end).points
    return Scene(
        "piriformis-stretch",
        "Udspænding af ballen (piriformis): ankel over modsatte knæ, benet trækkes mod brystet",
        "Person liggende på ryggen med den ene ankel lagt over det modsatte knæ trækker det "
        "nederste ben ind mod brystet med hænderne bag låret.",
        start,
        end,
        [Arrow(up(s["leg_far_mid"], 16, 6), up(e["leg_far_mid"], 16, 4), bow=-8)],
        props=[box(-85, 70, 0, 0, -32, 32)],
        camera=Camera(elev=20, azim=40),
        floor=False,
    )


@scene
def glute_bridge() -> Scene:
    alpha = 19.0  # angle of the trunk to the floor at the top of the bridge
    pelvis_end = (
        TORSO * math.cos(math.radians(alpha)) - TORSO,
        LIE_H + TORSO * math.sin(math.radians(alpha)),
        0.0,
    )
    knee = add(pelvis_end, polar(alpha, THIGH))  # thigh in line with the trunk
    ankle = (knee[0] + math.sqrt(SHIN**2 - (knee[1] - ANKLE_H) ** 2), ANKLE_H, 0.0)
    feet = Limb(target=ankle, foot=0)
    start = supine(leg_near=feet, leg_far=feet, arm_near=ARMS_ON_FLOOR, arm_far=ARMS_ON_FLOOR)
    end = Pose(
        pelvis=pelvis_end,
        trunk=180 + alpha,
        neck=alpha,
        leg_near=feet,
        leg_far=feet,
        arm_near=ARMS_ON_FLOOR,
        arm_far=ARMS_ON_FLOOR,
    )
    return Scene(
        "glute-bridge",
        "Bækkenløft (glute bridge): hoften løftes fra rygliggende",
        "Person liggende på ryggen med bøjede knæ løfter hoften, så kroppen danner en lige "
        "linje fra skuldre til knæ.",
        start,
        end,
        [Arrow(up(pelvis_end, 9), up(pelvis_end, 31))],
    )


def side_lying(opening: float) -> Pose:
    """Lying on the side facing the viewer, head on the lower arm, hips and knees bent."""
    return Pose(
        pelvis=(0.0, 9.0, 0.0),
        trunk=180.0,
        arm_near=Limb(flex=180),
        arm_far=Limb(target=(16 - TORSO, 0.0, 26.0), pole=(0.3, 1.0, 0.0)),
        leg_near=Limb(flex=45, bend=90),
        leg_far=Limb(flex=45, bend=90, twist=opening),
        frame=rot_x(90),
        hip_half=3,
        shoulder_half=0,
    )


@scene
def side_lying_clamshell() -> Scene:
    start, end = side_lying(0), side_lying(55)
    knee = solve(end).points["leg_far_mid"]
    return Scene(
        "side-lying-clamshell",
        "Muslingen (clamshell): sideliggende, det øverste knæ løftes",
        "Person liggende på siden med bøjede hofter og knæ og samlede fødder løfter det øverste "
        "knæ, så benene åbner sig som en musling.",
        start,
        end,
        [Arrow(up(knee, 8), up(knee, 30))],
        camera=Camera(elev=24),
        floor_z=30,
    )


@scene
def lying_sciatic_nerve_glide() -> Scene:
    other = Limb(target=(48, ANKLE_H, 0), foot=0)
    hands = Limb(target=(-5, LIE_H + 24, 0))  # behind the thigh
    start = supine(
        leg_far=other, arm_near=hands, arm_far=hands, leg_near=Limb(flex=90, bend=90, ankle=-20)
    )
    end = supine(
        leg_far=other, arm_near=hands, arm_far=hands, leg_near=Limb(flex=90, bend=10, ankle=15)
    )
    s, e = solve(start).points, solve(end).points
    return Scene(
        "lying-sciatic-nerve-glide",
        "Liggende nerveglidning: knæet strækkes med hoften bøjet",
        "Person liggende på ryggen holder med hænderne bag det ene lår, så hoften er bøjet, og "
        "strækker knæet, mens foden trækkes op; derefter bøjes knæet igen.",
        start,
        end,
        [Arrow(up(s["leg_near_end"], 8, 8), up(e["leg_near_end"], 0, 12), bow=10)],
    )


@scene
def knee_to_chest() -> Scene:
    feet = Limb(target=(48, ANKLE_H, 0), foot=0)
    start = supine(leg_far=feet, leg_near=feet, arm_near=ARMS_ON_FLOOR, arm_far=ARMS_ON_FLOOR)
    pulled = Limb(flex=125, bend=130, ankle=-20)
    knee = solve(supine(leg_near=pulled)).points["leg_near_mid"]
    hands = Limb(target=add(knee, (5, -4, 0)))  # just below the knee
    end = supine(leg_far=feet, leg_near=pulled, arm_near=hands, arm_far=hands)
    s = solve(start).points
    return Scene(
        "knee-to-chest",
        "Knæ til bryst: det ene knæ trækkes ind mod brystet",
        "Person liggende på ryggen med bøjede knæ trækker det ene knæ ind mod brystet med "
        "begge hænder.",
        start,
        end,
        [Arrow(up(s["leg_near_mid"], 12), up(knee, 14, 4), bow=-12)],
        camera=Camera(azim=18),
    )


@scene
def prone_press_up() -> Scene:
    legs = Limb(target=(THIGH + SHIN - 1, ANKLE_H, 0), foot=-5)
    hands = Limb(target=(-TORSO - 4, 3, 0))
    common: dict[str, Any] = dict(
        facing=-1, leg_near=legs, leg_far=legs, arm_near=hands, arm_far=hands
    )
    start = Pose(pelvis=(0, LIE_H, 0), trunk=180, **common)
    end = Pose(pelvis=(0, LIE_H, 0), trunk=128, spine=-10, neck=-5, **common)
    s, e = solve(start).points, solve(end).points
    return Scene(
        "prone-press-up",
        "Rygbøjning i maveliggende: overkroppen presses op med armene",
        "Person liggende på maven med hænderne i gulvet under skuldrene presser overkroppen op "
        "med armene, mens hoften bliver liggende på underlaget.",
        start,
        end,
        [Arrow(up(s["head"], 16, -6), up(e["head"], 6, -16), bow=-10)],
    )


@scene
def cat_camel() -> Scene:
    start = all_fours(spine=-14, neck=-20)  # hollow back, head up
    end = all_fours(spine=16, neck=30)  # rounded back, head down
    return Scene(
        "cat-camel",
        "Katten og kamelen: ryggen skiftevis krummes og svajes på alle fire",
        "Person på alle fire skifter roligt mellem at svaje i ryggen med hovedet løftet og at "
        "krumme ryggen op mod loftet med hovedet sænket.",
        start,
        end,
        [Arrow((20, 64, 0), (20, 86, 0), both=True)],
    )


@scene
def bird_dog() -> Scene:
    start = all_fours(neck=35)
    end = all_fours(neck=35, arm_near=Limb(flex=170), leg_far=Limb(flex=-14))
    s, e = solve(start).points, solve(end).points
    return Scene(
        "bird-dog",
        "Fuglehunden (bird dog): modsat arm og ben strækkes fra firfodsstand",
        "Person på alle fire strækker den ene arm frem og det modsatte ben bagud, så arm, ryg "
        "og ben er på linje.",
        start,
        end,
        [
            Arrow(up(s["arm_near_end"], 6, 10), up(e["arm_near_end"], -8, -2), bow=12),
            Arrow(up(s["leg_far_toe"], 8, -6), up(e["leg_far_end"], -8, 4), bow=-12),
        ],
        camera=Camera(azim=18),
    )


@scene
def hamstring_stretch() -> Scene:
    reach = math.sqrt((THIGH + SHIN - 1) ** 2 - (SEAT + 5 - ANKLE_H) ** 2)
    straight = Limb(target=(reach, ANKLE_H, 0.0))  # heel on the floor
    other = Limb(target=(THIGH - 2, ANKLE_H, 0.0), foot=0)
    on_thigh = Limb(target=(24, SEAT + 14, 0))
    to_knee = Limb(target=(40, SEAT - 3, 0))
    start = seated(leg_near=straight, leg_far=other, arm_near=on_thigh, arm_far=on_thigh)
    end = seated(
        trunk=58, neck=5, leg_near=straight, leg_far=other, arm_near=to_knee, arm_far=to_knee
    )
    s, e = solve(start).points, solve(end).points
    return Scene(
        "hamstring-stretch",
        "Udspænding af baglåret: siddende foroverbøjning med strakt ben",
        "Person, der sidder på forkanten af en stol med det ene ben strakt og hælen i gulvet, "
        "læner overkroppen frem med ret ryg.",
        start,
        end,
        [Arrow(up(s["head"], 17, 6), up(e["head"], 16, 12), bow=-8)],
        props=[chair(14)],
    )


@scene
def hip_flexor_stretch() -> Scene:
    back = Limb(target=(-SHIN, ANKLE_H, 0.0), foot=180, pole=(1.0, -1.0, 0.0))  # knee down
    front = Limb(target=(44.0, ANKLE_H, 0.0), foot=0)

    def pose(shift: float) -> Pose:
        pelvis = (shift, ANKLE_H + math.sqrt(THIGH**2 - shift**2), 0.0)
        hands = Limb(target=up(pelvis, 9, -1), pole=(-1.0, 0.0, 0.0))  # hands on the hips
        return Pose(pelvis=pelvis, leg_near=back, leg_far=front, arm_near=hands, arm_far=hands)

    start, end = pose(0.0), pose(14.0)
    return Scene(
        "hip-flexor-stretch",
        "Udspænding af hoftebøjeren: knæstående udfald med hoften skubbet frem",
        "Person, der står på det ene knæ med den anden fod foran sig, skubber langsomt hoften "
        "frem med ret overkrop.",
        start,
        end,
        [Arrow((8, 52, 0), (30, 52, 0))],
    )


@scene
def sit_to_stand() -> Scene:
    crossed = Limb(flex=15, bend=100, lat=-70)  # arms crossed over the chest
    ankle = (THIGH - 3, ANKLE_H, 0.0)
    feet = Limb(target=ankle, foot=0)
    start = seated(trunk=86, leg_near=feet, leg_far=feet, arm_near=crossed, arm_far=crossed)
    end = Pose(
        pelvis=(ankle[0] - 2, ANKLE_H + THIGH + SHIN - 1, 0.0),
        leg_near=feet,
        leg_far=feet,
        arm_near=crossed,
        arm_far=crossed,
    )
    return Scene(
        "sit-to-stand",
        "Rejse-sætte-sig: fra siddende på en stol til stående",
        "Person, der sidder på en stol med armene krydset over brystet, rejser sig helt op og "
        "sætter sig derefter roligt ned igen.",
        start,
        end,
        [Arrow((-10, SEAT + 16, 0), (ankle[0] - 12, ANKLE_H + 72, 0), bow=16)],
        props=[chair(16)],
    )


def side_plank(tilt: float, side_bend: float) -> Pose:
    """On the lower forearm and the knees, facing the viewer, head to the left.

    ``tilt`` raises the head end of the body; ``side_bend`` keeps the thighs on the floor.
    """
    legs: dict[str, Any] = dict(flex=0, bend=90, ankle=-20)
    pose = Pose(
        pelvis=(0.0, 0.0, 0.0),
        trunk=180.0,
        leg_near=Limb(abd=-side_bend, **legs),
        leg_far=Limb(abd=side_bend, **legs),
        frame=matmul(rot_z(-tilt), rot_x(90)),
        hip_half=0,
        shoulder_half=0,
    )
    pose = place(pose, "leg_near_mid", (0.0, ANKLE_H, 0.0))
    pts = solve(pose).points
    elbow_down = add(pts["arm_near_root"], (0.0, -UPPER_ARM, FOREARM))  # forearm on the floor
    pose.arm_near = Limb(target=elbow_down, pole=(0.0, -1.0, -0.3))
    pose.arm_far = Limb(target=add(pts["pelvis"], (-3, 4, 6)), pole=(0.0, 1.0, 0.3))
    return pose


def plank_tilt(straight: bool) -> float:
    """Body tilt that puts the lower elbow on the floor (hips on the floor unless straight)."""
    lo, hi = 0.0, 60.0
    for _ in range(40):
        mid = (lo + hi) / 2
        shoulder = solve(side_plank(mid, 0.0 if straight else mid)).points["arm_near_root"]
        if shoulder[1] - UPPER_ARM > 4:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


@scene
def side_plank_knees() -> Scene:
    low, high = plank_tilt(False), plank_tilt(True)
    start, end = side_plank(low, low), side_plank(high, 0.0)
    pelvis = solve(end).points["pelvis"]
    return Scene(
        "side-plank-knees",
        "Sideplanke på knæ: hoften løftes fra sideliggende på underarmen",
        "Person liggende på siden, støttet på underarmen og med bøjede knæ, løfter hoften, så "
        "kroppen danner en lige linje fra hoved til knæ.",
        start,
        end,
        [Arrow(up(pelvis, 9), up(pelvis, 30))],
        props=[box(-95, 50, 0, 0, -45, 30)],
        camera=Camera(elev=20, azim=-35),
        floor=False,
    )


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for make in SCENES:
        sc = make()
        svg = render(sc)
        path = OUT_DIR / f"{sc.id}.svg"
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != svg:
                stale.append(path.name)
            continue
        path.write_text(svg, encoding="utf-8")
        print(f"{path.name}: {len(svg.encode())} bytes")
    if stale:
        print("out of date (run tools/draw_exercises.py): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
