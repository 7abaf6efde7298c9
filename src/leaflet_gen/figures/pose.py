"""The ``figure:`` schema: postures, joints and their ranges of motion, validation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import SourceError
from .body import SIDES
from .vec import Mat, Vec, cross, from_columns, matmul, rot

# Ranges of motion (degrees) of each kind of joint, per movement. Neck side-bend: the AAOS
# table (lateral flexion 45°). Neck retract (chin tuck; negative: head pushed forward): the
# lower neck's tilt while the upper neck keeps the face level, within the neck's extension.
# Shoulder retract (shoulder blades drawn back; negative: forward): the clavicle's turn at the
# sternoclavicular joint, 15–20° each way (Neumann, Kinesiology of the Musculoskeletal System).
RANGES: dict[str, dict[str, tuple[float, float]]] = {
    "spine": {"flex": (-60, 90), "bend": (-35, 35), "twist": (-45, 45)},
    "neck": {"flex": (-60, 70), "twist": (-80, 80), "bend": (-45, 45), "retract": (-30, 30)},
    "shoulder": {"flex": (-60, 180), "abduct": (-30, 180), "rotate": (-90, 90),
                 "retract": (-20, 20)},
    "elbow": {"flex": (0, 150)},
    "wrist": {"extend": (-80, 90)},
    "hip": {"flex": (-30, 130), "abduct": (-30, 50), "rotate": (-45, 60)},
    "knee": {"flex": (0, 150)},
    "ankle": {"dorsiflex": (-70, 30)},
}
SIDED = ("shoulder", "elbow", "wrist", "hip", "knee", "ankle")
JOINTS: dict[str, str] = {"spine": "spine", "neck": "neck"} | {
    f"{side}_{kind}": kind for kind in SIDED for side in SIDES
}
POINTS = ("pelvis", "waist", "chest", "neck", "head", "nose") + tuple(
    f"{side}_{p}" for p in ("shoulder", "elbow", "wrist", "hand", "hip", "knee", "ankle", "heel",
                            "toes") for side in SIDES
)
PAIRS = {"hips": "hip", "knees": "knee", "feet": "ankle", "hands": "hand"}  # anchors
LIMBS = ("left_arm", "right_arm", "left_leg", "right_leg", "trunk", "head")
SEGMENTS = tuple(f"{side}_{part}" for side in SIDES for part in (
    "upper_arm", "forearm", "hand", "thigh", "shank", "foot")) + (
    "chest",)  # one part of a limb; the chest is the upper trunk, shoulder to shoulder
PANELS = ("start", "middle", "finish")
VIEWS = ("side", "front", "top", "three-quarter")
SUPPORTS = ("floor", "chair", "step", "table")
PROPS = ("mat", "chair", "step", "wall", "table", "band", "ball", "towel", "stick", "door")
PROP_OPTIONS = {"band": {"from", "to"}, "ball": {"at", "size"}, "towel": {"at", "size"},
                "table": {"at"}, "wall": {"side", "gap"}, "stick": {"from", "to"}, "door": {"at"}}
WALL_SIDES = ("back", "front")  # behind the figure, or the wall it faces
# A band tied to a door post on that side of the held end (in the first panel), or to the wall.
POSTS = ("front", "back", "left", "right")

_X, _Y, _Z = (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)
_NEG = {_X: (-1.0, 0.0, 0.0), _Y: (0.0, -1.0, 0.0), _Z: (0.0, 0.0, -1.0)}
_BOTH = ("left", "right")


def _parts(*names: str) -> frozenset[str]:
    """Part names, ``thigh`` standing for both thighs."""
    return frozenset(
        f"{side}_{n}" if n in {"upper_arm", "forearm", "hand", "thigh", "shank", "foot"} else n
        for n in names for side in _BOTH
    )


def _j(**joints: dict[str, float]) -> dict[str, dict[str, float]]:
    """Default angles; ``hip=…`` stands for both sides."""
    out: dict[str, dict[str, float]] = {}
    for name, dofs in joints.items():
        targets = [name] if name in JOINTS else [f"{side}_{name}" for side in _BOTH]
        for target in targets:
            out.setdefault(target, {}).update(dofs)
    return out


@dataclass(frozen=True)
class Posture:
    """A named starting point: how the body lies in the world, default angles, what it rests on.

    ``front`` and ``up`` are the world directions of the body's front and of its head end.
    """

    front: Vec
    up: Vec
    joints: dict[str, dict[str, float]]
    contacts: frozenset[str] | None  # parts that rest on the support (None: any part)
    support: str = "floor"
    tilt: float = 0.0


_LYING = _parts("pelvis", "abdomen", "chest", "girdle", "head")
POSTURES: dict[str, Posture] = {
    "standing": Posture(_X, _Y, _j(shoulder={"abduct": 8}, elbow={"flex": 10}),
                        _parts("foot")),
    "sitting": Posture(_X, _Y, _j(hip={"flex": 90}, knee={"flex": 90},
                                  shoulder={"flex": 20, "abduct": 8}, elbow={"flex": 60}),
                       _parts("pelvis", "thigh"), "chair"),
    "long-sitting": Posture(_X, _Y, _j(hip={"flex": 90}, ankle={"dorsiflex": -20},
                                       shoulder={"flex": -15, "abduct": 12},
                                       wrist={"extend": 80}),
                            _parts("pelvis", "thigh", "shank", "foot")),
    "supine": Posture(_Y, _NEG[_X], _j(shoulder={"flex": -6, "abduct": 8},
                                       ankle={"dorsiflex": -25}),
                      _LYING),
    "crook-lying": Posture(_Y, _NEG[_X], _j(shoulder={"flex": -6, "abduct": 8}, hip={"flex": 45},
                                            knee={"flex": 98}, ankle={"dorsiflex": -37}),
                           _LYING),
    "prone": Posture(_NEG[_Y], _X, _j(neck={"flex": -25},
                                      shoulder={"flex": -20, "abduct": 60, "rotate": 70},
                                      elbow={"flex": 120}, ankle={"dorsiflex": -65}),
                     _parts("pelvis", "abdomen", "chest", "thigh", "shank", "foot")),
    "side-lying-left": Posture(_Z, _X, _j(hip={"flex": 40}, knee={"flex": 70}), None),
    "side-lying-right": Posture(_Z, _NEG[_X], _j(hip={"flex": 40}, knee={"flex": 70}), None),
    "all-fours": Posture(_NEG[_Y], _X, _j(hip={"flex": 76}, knee={"flex": 90},
                                          ankle={"dorsiflex": -70}, shoulder={"flex": 76},
                                          wrist={"extend": 90}),
                         _parts("shank", "hand"), tilt=-14),
    "kneeling": Posture(_X, _Y, _j(knee={"flex": 90}, ankle={"dorsiflex": -65},
                                   shoulder={"abduct": 8}, elbow={"flex": 10}),
                        _parts("shank", "foot")),
    "half-kneeling": Posture(_X, _Y, _j(left_hip={"flex": 90}, left_knee={"flex": 90},
                                        right_knee={"flex": 90}, right_ankle={"dorsiflex": -65},
                                        shoulder={"abduct": 8}, elbow={"flex": 10}),
                             _parts("right_shank", "right_foot", "left_foot")),
}


@dataclass(frozen=True)
class Pose:
    """One panel's pose: the posture, every joint angle, whole-body tilt and roll, support."""

    name: str
    posture: str
    angles: dict[str, dict[str, float]]
    tilt: float
    roll: float
    on: str

    def pelvis(self) -> Mat:
        """World orientation of the pelvis."""
        p = POSTURES[self.posture]
        base = from_columns(p.front, p.up, cross(p.front, p.up))
        return matmul(matmul(base, rot(2, -self.tilt)), rot(0, self.roll))

    def towards(self, other: Pose, t: float) -> Pose:
        """The pose a fraction ``t`` of the way to ``other`` (same posture)."""
        angles = {
            joint: {dof: v + (other.angles[joint][dof] - v) * t for dof, v in dofs.items()}
            for joint, dofs in self.angles.items()
        }
        return Pose(self.name, self.posture, angles, self.tilt + (other.tilt - self.tilt) * t,
                    self.roll + (other.roll - self.roll) * t, self.on)


@dataclass(frozen=True)
class Arrow:
    """A movement arrow along ``point``'s path into panel ``panel`` (an index, 1 or more).

    It is drawn on the panel before, where the moving part is at the arrow's start.
    """

    point: str
    both: bool
    panel: int
    offset: float
    nudge: tuple[float, float]
    bend: float = 0.0  # cm the middle of the arrow bows out to its left (negative: right)
    straight: bool = False  # from the path's start to its end in a straight line


@dataclass(frozen=True)
class Figure:
    """A validated ``figure:`` mapping."""

    view: str
    yaw: float
    pitch: float
    props: tuple[tuple[str, dict[str, Any]], ...]
    anchor: str
    moving: tuple[str, ...]
    arrows: tuple[Arrow, ...]
    gaze: bool
    ankle_pumps: tuple[tuple[str, bool], ...]  # side, and whether in every panel (else last)
    poses: tuple[Pose, ...]
    spine: bool = False  # a line along the back that shows its curve
    blades: bool = False  # the shoulder blades drawn on the back
    ankle_circles: tuple[str, ...] = ()  # a circular arrow around the foot (foot circles)
    grips: tuple[str, ...] = ()  # segments the hands hold round: drawn over them
    repeat: bool = False  # keep moving, do not hold (the sign: illustrations.picture_sign)
    presses: tuple[tuple[str, bool], ...] = ()  # points pressed down onto the floor in the
    # last panel, and whether a bar on the floor under them shows where
    nerves: tuple[str, ...] = ()  # legs whose sciatic nerve is drawn, buttock to heel (glides)

    def prop(self, kind: str) -> dict[str, Any] | None:
        return next((options for k, options in self.props if k == kind), None)


class _Checker:
    """Raises :class:`SourceError` naming the field path."""

    def __init__(self, where: Path):
        self.where = where

    def fail(self, field: str, message: str) -> SourceError:
        return SourceError(f"{field}: {message}", self.where)

    def mapping(self, value: Any, field: str, known: tuple[str, ...] | set[str]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(field, "must be a mapping")
        for key in value:
            if key not in known:
                raise self.fail(field, f"unknown key '{key}' (known: {', '.join(sorted(known))})")
        return value

    def choice(self, value: Any, field: str, what: str, known) -> str:
        if not isinstance(value, str) or value not in known:
            raise self.fail(field, f"unknown {what} '{value}' (known: {', '.join(known)})")
        return value

    def number(self, value: Any, field: str, low: float = -180, high: float = 180) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(field, f"'{value}' is not a number")
        if not low <= value <= high:
            raise self.fail(field, f"{_deg(value)} is outside {_deg(low)}…{_deg(high)}")
        return float(value)


def _deg(value: float) -> str:
    return f"{value:g}°".replace("-", "−")


def parse(spec: Any, where: Path) -> Figure:
    """Validate a ``figure:`` mapping."""
    c = _Checker(where)
    known = ("camera", "props", "anchor", "moving", "arrow", "cues", "poses")
    spec = c.mapping(spec, "figure", known)
    if "poses" not in spec:
        raise c.fail("figure", "needs poses (start and finish)")
    view, yaw, pitch = _camera(c, spec.get("camera", "side"))
    props = _props(c, spec.get("props", []))
    poses = _poses(c, spec["poses"], {kind for kind, _ in props})
    anchor = c.choice(spec.get("anchor", "pelvis"), "figure.anchor", "point",
                      POINTS + tuple(PAIRS))
    moving = tuple(c.choice(limb, "figure.moving", "limb", LIMBS + SEGMENTS)
                   for limb in _listed(spec.get("moving", [])))
    arrows = tuple(_arrow(c, a, f"figure.arrow[{i}]", len(poses))
                   for i, a in enumerate(_listed(spec.get("arrow", []))))
    return Figure(view, yaw, pitch, props, anchor, moving, arrows, poses=poses,
                  **_cues(c, spec.get("cues", [])))


def _listed(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _camera(c: _Checker, value: Any) -> tuple[str, float, float]:
    if isinstance(value, dict):
        value = c.mapping(value, "figure.camera", ("view", "yaw", "pitch"))
        view = c.choice(value.get("view", "side"), "figure.camera.view", "view", VIEWS)
        yaw = c.number(value.get("yaw", 0), "figure.camera.yaw")
        return view, yaw, c.number(value.get("pitch", 0), "figure.camera.pitch", -90, 90)
    return c.choice(value, "figure.camera", "view", VIEWS), 0.0, 0.0


def _props(c: _Checker, value: Any) -> tuple[tuple[str, dict[str, Any]], ...]:
    props = []
    for i, item in enumerate(_listed(value)):
        field = f"figure.props[{i}]"
        options: Any = {}
        if isinstance(item, dict) and len(item) == 1:
            item, options = next(iter(item.items()))
        kind = c.choice(item, field, "prop", PROPS)
        options = c.mapping(options or {}, f"{field}.{kind}", PROP_OPTIONS.get(kind, set()))
        for key in ("at", "from", "to"):
            if key in options:
                ends = ("wall", *POSTS) if key == "to" and kind == "band" else ()
                c.choice(options[key], f"{field}.{kind}.{key}", "point",
                         POINTS + tuple(PAIRS) + ends)
        if "side" in options:
            c.choice(options["side"], f"{field}.{kind}.side", "side", WALL_SIDES)
        if "size" in options:
            c.number(options["size"], f"{field}.{kind}.size", 5, 80)
        if "gap" in options:
            c.number(options["gap"], f"{field}.{kind}.gap", 0, 150)
        props.append((kind, dict(options)))
    kinds = {kind for kind, _ in props}
    for i, (kind, options) in enumerate(props):
        if kind == "band" and options.get("to") == "wall" and "wall" not in kinds:
            raise c.fail(f"figure.props[{i}].band.to", "the band is tied to a wall, which "
                         "figure.props lacks")
    return tuple(props)


def _poses(c: _Checker, value: Any, props: set[str]) -> tuple[Pose, ...]:
    value = c.mapping(value, "figure.poses", PANELS)
    for name in ("start", "finish"):
        if name not in value:
            raise c.fail("figure.poses", f"needs a {name} pose")
    return tuple(_pose(c, value[name], f"figure.poses.{name}", name, props)
                 for name in PANELS if name in value)


def _pose(c: _Checker, value: Any, field: str, name: str, props: set[str]) -> Pose:
    value = c.mapping(value, field, ("posture", "joints", "tilt", "roll", "on"))
    posture = c.choice(value.get("posture"), f"{field}.posture", "posture", tuple(POSTURES))
    base = POSTURES[posture]
    on = c.choice(value.get("on", base.support), f"{field}.on", "support", SUPPORTS)
    if on != "floor" and on not in props:
        raise c.fail(f"{field}.on", f"the figure rests on the {on}, which figure.props lacks")
    angles = {joint: dict.fromkeys(RANGES[kind], 0.0) for joint, kind in JOINTS.items()}
    for joint, dofs in base.joints.items():
        angles[joint].update(dofs)
    joints = value.get("joints") or {}
    if not isinstance(joints, dict):
        raise c.fail(f"{field}.joints", "must be a mapping of joint names to angles")
    for joint, dofs in joints.items():
        jfield = f"{field}.joints.{joint}"
        kind = JOINTS.get(joint)
        if kind is None:
            raise c.fail(jfield, f"unknown joint '{joint}' (known: {', '.join(JOINTS)})")
        dofs = c.mapping(dofs, jfield, tuple(RANGES[kind]))
        for dof, v in dofs.items():
            low, high = RANGES[kind][dof]
            number = c.number(v, f"{jfield}.{dof}")
            if not low <= number <= high:
                raise c.fail(f"{jfield}.{dof}", f"{_deg(number)} is outside the {kind}'s range "
                             f"{_deg(low).rstrip('°')}…{_deg(high)}")
            angles[joint][dof] = number
    tilt = c.number(value.get("tilt", base.tilt), f"{field}.tilt", -90, 90)
    roll = c.number(value.get("roll", 0), f"{field}.roll", -90, 90)
    return Pose(name, posture, angles, tilt, roll, on)


def _arrow(c: _Checker, value: Any, field: str, panels: int) -> Arrow:
    value = c.mapping(value, field, ("joint", "kind", "panel", "offset", "nudge", "bend",
                                     "straight"))
    point = c.choice(value.get("joint"), f"{field}.joint", "point", POINTS)
    kind = c.choice(value.get("kind", "one-way"), f"{field}.kind", "kind", ("one-way", "two-way"))
    names = PANELS if panels == 3 else ("start", "finish")
    panel = c.choice(value.get("panel", "finish"), f"{field}.panel", "panel", names[1:])
    offset = c.number(value.get("offset", 7), f"{field}.offset", -40, 40)
    nudge = value.get("nudge", [0, 0])
    if not isinstance(nudge, list) or len(nudge) != 2:
        raise c.fail(f"{field}.nudge", "must be [right, up] in cm")
    dx, dy = (c.number(n, f"{field}.nudge", -60, 60) for n in nudge)
    bend = c.number(value.get("bend", 0), f"{field}.bend", -40, 40)
    straight = value.get("straight", False)
    if not isinstance(straight, bool):
        raise c.fail(f"{field}.straight", f"'{straight}' is not true or false")
    return Arrow(point, kind == "two-way", names.index(panel), offset, (dx, dy), bend, straight)


GRIPPED = tuple(f"{side}_{part}" for side in SIDES for part in (
    "upper_arm", "forearm", "thigh", "shank"))  # what the hands may hold round


def _cues(c: _Checker, value: Any) -> dict[str, Any]:
    """The cues as :class:`Figure` fields."""
    flags: set[str] = set()
    sided: dict[str, list[Any]] = {"ankle-pump": [], "ankle-circle": [], "grip": [],
                                   "press": [], "nerve": []}
    for i, item in enumerate(_listed(value)):
        field = f"figure.cues[{i}]"
        if item in ("gaze", "spine", "shoulder-blades", "hold", "repeat"):
            flags.add(item)
            continue
        if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in sided:
            raise c.fail(field, f"unknown cue '{item}' (known: gaze, spine, shoulder-blades, "
                         "hold, repeat, ankle-pump: SIDE or {side, panels: all}, "
                         "ankle-circle: SIDE, grip: SEGMENT, press: POINT or {at, bar}, "
                         "nerve: SIDE)")
        cue, side = next(iter(item.items()))
        if cue == "grip":
            sided[cue].append(c.choice(side, f"{field}.grip", "segment", GRIPPED))
        elif cue == "press" and isinstance(side, dict):
            press = c.mapping(side, f"{field}.press", ("at", "bar"))
            bar = press.get("bar", True)
            if not isinstance(bar, bool):
                raise c.fail(f"{field}.press.bar", f"'{bar}' is not true or false")
            sided[cue].append((c.choice(press.get("at"), f"{field}.press.at", "point", POINTS),
                               bar))
        elif cue == "press":
            sided[cue].append((c.choice(side, f"{field}.press", "point", POINTS), True))
        elif cue == "ankle-pump" and isinstance(side, dict):
            pump = c.mapping(side, f"{field}.ankle-pump", ("side", "panels"))
            sided[cue].append((c.choice(pump.get("side"), f"{field}.ankle-pump.side", "side",
                                        tuple(SIDES)),
                               c.choice(pump.get("panels", "last"), f"{field}.ankle-pump.panels",
                                        "panels", ("last", "all")) == "all"))
        elif cue == "ankle-pump":
            sided[cue].append((c.choice(side, f"{field}.ankle-pump", "side", tuple(SIDES)), False))
        else:
            sided[cue].append(c.choice(side, f"{field}.{cue}", "side", tuple(SIDES)))
    if {"hold", "repeat"} <= flags:
        raise c.fail("figure.cues", "hold (a held position) and repeat (keep moving) exclude "
                     "each other")
    return {"gaze": "gaze" in flags, "ankle_pumps": tuple(sided["ankle-pump"]),
            "spine": "spine" in flags, "blades": "shoulder-blades" in flags,
            "ankle_circles": tuple(sided["ankle-circle"]), "grips": tuple(sided["grip"]),
            "repeat": "repeat" in flags,
            "presses": tuple(sided["press"]), "nerves": tuple(sided["nerve"])}
