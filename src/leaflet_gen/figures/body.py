"""The mannequin: adult proportions and forward kinematics from joint angles.

Segment lengths are fractions of the standing height H from the Drillis & Contini table as
tabulated by Winter (Biomechanics and Motor Control of Human Movement). The trunk runs from the
hip joints (0.530 H) to the shoulders (0.818 H), the neck to the chin (0.870 H), the head to
the crown (H). Every part is a tapered capsule: two spheres joined by their tangent cone.

Local axes of every joint frame: x anterior (front), y superior (up), z the body's right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from .vec import Mat, Vec, add, apply, matmul, rot

H = 170.0  # standing height, cm
UPPER_ARM, FOREARM, HAND = 0.186 * H, 0.146 * H, 0.108 * H
THIGH, SHANK, FOOT, ANKLE = 0.245 * H, 0.246 * H, 0.152 * H, 0.039 * H
SHOULDER_HALF = 0.259 * H / 2 - 3.5  # shoulder joint centre, inside the acromion
HIP_HALF = 0.191 * H / 2 - 7.5  # hip joint centre, inside the greater trochanter
TRUNK = (0.818 - 0.530) * H  # hip joints to shoulder joints
NECK = (0.870 - 0.818) * H
HEAD = (1.0 - 0.870) * H
LUMBAR, THORAX = 0.35 * TRUNK, 0.30 * TRUNK  # hip level to waist, waist to mid-chest
UPPER_CHEST = TRUNK - LUMBAR - THORAX + 2.5  # mid-chest to the base of the neck
NECK_LINK = NECK - 1.5  # base of the neck to the head's pivot

SIDES = {"left": -1, "right": 1}


@dataclass(frozen=True)
class Part:
    """One capsule of the body, from ``a`` (radius ``ra``) to ``b`` (radius ``rb``)."""

    name: str
    limb: str  # left_arm, right_arm, left_leg, right_leg, trunk or head
    side: int  # -1 left, +1 right, 0 centre
    a: Vec
    ra: float
    b: Vec
    rb: float
    order: float  # small depth bias that settles ties (cm)
    union: str = ""  # parts outlined as one silhouette

    def bottom(self) -> float:
        return min(self.a[1] - self.ra, self.b[1] - self.rb)

    def moved(self, offset: Vec) -> Part:
        return replace(self, a=add(self.a, offset), b=add(self.b, offset))


@dataclass(frozen=True)
class Body:
    """A posed body: named points, its capsules, the pelvis and head frames and the frames of
    thighs and shanks (``right_thigh``…: x is the segment's front, y runs up it)."""

    points: dict[str, Vec]
    parts: tuple[Part, ...]
    pelvis: Mat
    head: Mat
    frames: dict[str, Mat]

    def moved(self, offset: Vec) -> Body:
        points = {name: add(p, offset) for name, p in self.points.items()}
        return replace(self, points=points, parts=tuple(p.moved(offset) for p in self.parts))

    def bottom(self, names: frozenset[str] | None = None) -> float:
        """The lowest point of the named parts (all parts by default)."""
        return min(p.bottom() for p in self.parts if names is None or p.name in names)


def _at(frame: Mat, origin: Vec, local: Vec) -> Vec:
    return add(origin, apply(frame, local))


def _turn(frame: Mat, *rotations: tuple[int, float]) -> Mat:
    for axis, deg in rotations:
        frame = matmul(frame, rot(axis, deg))
    return frame


def pose_body(pelvis: Mat, angles: Mapping[str, Mapping[str, float]]) -> Body:
    """Joint positions and capsules of a body posed by ``angles``, pelvis at the origin."""
    origin: Vec = (0.0, 0.0, 0.0)
    spine, neck = angles["spine"], angles["neck"]
    half_spine = ((2, -spine["flex"] / 2), (0, spine["bend"] / 2), (1, -spine["twist"] / 2))
    waist = _at(pelvis, origin, (0.0, LUMBAR, 0.0))
    lumbar = _turn(pelvis, *half_spine)
    chest = _at(lumbar, waist, (0.0, THORAX, 0.0))
    thorax = _turn(lumbar, *half_spine)
    neck_base = _at(thorax, chest, (0.0, UPPER_CHEST, 0.0))
    half_neck = ((2, -neck["flex"] / 2), (0, neck["bend"] / 2), (1, -neck["twist"] / 2))
    cervical = _turn(thorax, (2, neck["retract"]), *half_neck)  # retract: the lower neck tilts
    pivot = _at(cervical, neck_base, (0.0, NECK_LINK, 0.0))
    head = _turn(cervical, *half_neck, (2, -neck["retract"]))  # back; the face stays level
    points = {
        "pelvis": origin,
        "waist": waist,
        "chest": chest,
        "neck": neck_base,
        "head": _at(head, pivot, (1.0, 8.5, 0.0)),
        "nose": _at(head, pivot, (11.2, 7.3, 0.0)),
    }
    parts = [
        Part("pelvis", "trunk", 0, _at(pelvis, origin, (0.0, 3.0, -7.0)), 10.5,
             _at(pelvis, origin, (0.0, 3.0, 7.0)), 10.5, 0.0),
        Part("neck", "head", 0, _at(thorax, neck_base, (0.0, -1.0, 0.0)), 5.5, pivot, 5.0, 0.2),
        Part("head", "head", 0, _at(head, pivot, (2.5, 5.5, 0.0)), 7.2,
             _at(head, pivot, (0.5, 10.5, 0.0)), 9.9, 0.3),
        Part("nose", "head", 0, points["nose"], 2.2, points["nose"], 2.2, 0.35),
    ]
    for side, s in SIDES.items():  # drawn as dark dots on the side of the face they are on
        eye = _at(head, pivot, (8.0, 10.2, 4.0 * s))
        parts.append(Part(f"{side}_eye", "head", s, eye, 1.15, eye, 1.15, 0.32))
    frames: dict[str, Mat] = {}
    for side, s in SIDES.items():
        parts += [
            Part("abdomen", "trunk", 0, _at(pelvis, origin, (1.5, 7.0, 4.5 * s)), 10.0,
                 _at(lumbar, waist, (1.5, 8.0, 4.5 * s)), 10.0, 0.1, "torso"),
            Part("chest", "trunk", 0, _at(thorax, chest, (2.0, -2.0, 6.0 * s)), 11.0,
                 _at(thorax, chest, (1.5, UPPER_CHEST - 9.0, 6.5 * s)), 11.0, 0.1, "torso"),
        ]
        parts += _arm(side, s, thorax, neck_base, angles, points)
        parts += _leg(side, s, pelvis, angles, points, frames)
    return Body(points, tuple(parts), pelvis, head, frames)


def _arm(side: str, s: int, thorax: Mat, neck_base: Vec, angles, points) -> list[Part]:
    shoulder_a = angles[f"{side}_shoulder"]
    girdle = _turn(thorax, (1, -s * shoulder_a["retract"]))  # the clavicle turns back or forward
    shoulder = _at(girdle, neck_base, (0.0, -2.5, SHOULDER_HALF * s))
    upper = _turn(thorax, (2, shoulder_a["flex"]), (0, -s * shoulder_a["abduct"]),
                  (1, -s * shoulder_a["rotate"]))
    elbow = _at(upper, shoulder, (0.0, -UPPER_ARM, 0.0))
    fore = _turn(upper, (2, angles[f"{side}_elbow"]["flex"]))
    wrist = _at(fore, elbow, (0.0, -FOREARM, 0.0))
    hand = _turn(fore, (2, angles[f"{side}_wrist"]["extend"]))
    knuckles = _at(hand, wrist, (0.0, 5.0 - HAND, 0.0))
    points.update({f"{side}_shoulder": shoulder, f"{side}_elbow": elbow, f"{side}_wrist": wrist,
                   f"{side}_hand": _at(hand, wrist, (0.0, -HAND / 2, 0.0))})
    limb = f"{side}_arm"
    return [
        Part("girdle", "trunk", 0, _at(thorax, neck_base, (0.0, -1.5, 2.0 * s)), 6.0,
             shoulder, 5.5, 0.1, "torso"),
        Part(f"{side}_upper_arm", limb, s, shoulder, 5.2, elbow, 4.0, 0.4),
        Part(f"{side}_forearm", limb, s, elbow, 3.9, wrist, 2.9, 0.45),
        Part(f"{side}_hand", limb, s, _at(hand, wrist, (0.0, -3.0, 0.0)), 3.4, knuckles, 3.8, 0.5),
    ]


def _leg(side: str, s: int, pelvis: Mat, angles, points, frames) -> list[Part]:
    hip_a = angles[f"{side}_hip"]
    hip = _at(pelvis, (0.0, 0.0, 0.0), (0.0, 0.0, HIP_HALF * s))
    thigh = _turn(pelvis, (2, hip_a["flex"]), (0, -s * hip_a["abduct"]),
                  (1, -s * hip_a["rotate"]))
    knee = _at(thigh, hip, (0.0, -THIGH, 0.0))
    shank = _turn(thigh, (2, -angles[f"{side}_knee"]["flex"]))
    ankle = _at(shank, knee, (0.0, -SHANK, 0.0))
    foot = _turn(shank, (2, angles[f"{side}_ankle"]["dorsiflex"]))
    heel = _at(foot, ankle, (-2.2, 3.3 - ANKLE, 0.0))
    toes = _at(foot, ankle, (FOOT - 7.5, 2.0 - ANKLE, 0.0))
    points.update({f"{side}_hip": hip, f"{side}_knee": knee, f"{side}_ankle": ankle,
                   f"{side}_heel": heel, f"{side}_toes": toes})
    frames.update({f"{side}_thigh": thigh, f"{side}_shank": shank})
    limb = f"{side}_leg"
    return [
        Part(f"{side}_thigh", limb, s, hip, 8.2, knee, 5.6, 0.15),
        Part(f"{side}_shank", limb, s, knee, 5.4, ankle, 3.6, 0.2),
        Part(f"{side}_foot", limb, s, heel, 3.3, toes, 2.0, 0.25),
    ]
