"""The locked fetcher: project assets and data: URIs only."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import LEAFLET_ID, run_cli

from leaflet_gen.errors import RenderError
from leaflet_gen.pdf import html_to_pdf


@pytest.mark.parametrize(
    "src",
    [
        "file:///etc/hostname",
        "http://example.com/x.png",
        "https://example.com/x.css",
        "../../../../etc/hostname",
    ],
)
def test_fetcher_refuses_outside_resources(tmp_path: Path, src: str) -> None:
    html = f'<html><body><p>x</p><img src="{src}" alt="x"></body></html>'
    with pytest.raises(RenderError, match="refused"):
        html_to_pdf(html, tmp_path / "assets" / "sub", (tmp_path / "assets",))


def test_markdown_image_outside_project_is_refused(project: Path, tmp_path: Path, capsys) -> None:
    source = project / "leaflets" / f"{LEAFLET_ID}.md"
    source.write_text(
        source.read_text(encoding="utf-8") + "\n\n![x](/etc/hostname)\n", encoding="utf-8"
    )
    assert run_cli("build", "--project", project, "--lang", "da", "--out", tmp_path) == 1
    assert "refused to read /etc/hostname" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.pdf"))


def test_data_uri_is_allowed(tmp_path: Path) -> None:
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
        "nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
    )
    html = f'<html><body><p>x</p><img src="{pixel}" alt="x"></body></html>'
    assert html_to_pdf(html, tmp_path, (tmp_path,)).startswith(b"%PDF")
