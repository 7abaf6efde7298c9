"""The cut fonts are the same bytes on every machine, whenever they were cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib.tables import _h_e_a_d

from leaflet_gen import fonts


def test_cut_font_does_not_depend_on_the_time_of_cutting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: 12345)  # as if cut at another time
    (cached,) = (
        face.path
        for face in fonts.prepare_fonts().faces
        if (face.family, face.weight, face.style) == (fonts.SANS, 400, "normal")
    )
    again = tmp_path / "cut-again.ttf"
    fonts._cut_noto(fonts._source(fonts.SANS, 400, "normal"), 400, again)
    assert again.read_bytes() == cached.read_bytes()
