"""Exercise pictures drawn from data: a posed 3-D mannequin in numbered panels.

An exercise's front matter describes its picture under ``figure:`` (camera, props, the limbs
that move, arrows, cues and two or three poses given as a named posture plus joint angles);
:func:`draw` validates that data and returns a self-contained, deterministic SVG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .pose import parse
from .scene import camera, place, shapes
from .svg import render


def draw(spec: Any, *, title: str, desc: str, where: Path, rtl: bool = False) -> str:
    """The SVG picture of one exercise from its front-matter ``figure:`` mapping."""
    figure = parse(spec, where)
    cam = camera(figure)
    panels, boxes = place(figure, where)
    drawn = [shapes(figure, cam, panels, boxes, i, where) for i in range(len(panels))]
    return render(drawn, title=title, desc=desc, rtl=rtl, hold=figure.hold)
