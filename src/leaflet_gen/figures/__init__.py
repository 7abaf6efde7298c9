"""Exercise pictures drawn from data: a posed 3-D mannequin in numbered panels.

An exercise's front matter describes its picture under ``figure:`` (camera, props, the limbs
that move, arrows, cues and two or three poses given as a named posture plus joint angles);
:func:`draw` validates that data and returns a self-contained, deterministic SVG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import SourceError
from ..illustrations import picture_sign
from .pose import parse
from .scene import camera, place, shapes
from .svg import render


def draw(spec: Any, *, title: str, desc: str, where: Path, rtl: bool = False,
         held: bool = False) -> str:
    """The SVG picture of one exercise from its front-matter ``figure:`` mapping.

    ``held``: the exercise's dosage has ``hold_seconds``, so the last panel gets a stopwatch
    whatever the cues say; a ``repeat`` cue (keep moving) then contradicts the dosage.
    """
    figure = parse(spec, where)
    if held and figure.repeat:
        raise SourceError("figure.cues: repeat (keep moving) but the dosage holds the position "
                          "(hold_seconds): drop one", where)
    cam = camera(figure)
    panels, boxes = place(figure, where)
    drawn = [shapes(figure, cam, panels, boxes, i, where) for i in range(len(panels))]
    sign = picture_sign(spec, held=held)
    return render(drawn, title=title, desc=desc, rtl=rtl, sign=sign)
