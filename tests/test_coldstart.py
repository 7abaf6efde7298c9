"""A handout's HTML is prepared in a forked child: results and errors cross back intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet_gen.coldstart import prepare_while_importing
from leaflet_gen.errors import RenderError, SourceError, UsageError


def test_result_comes_back() -> None:
    assert prepare_while_importing(lambda: {"html": "<p>hej</p>", "pages": (1, 2)}) == {
        "html": "<p>hej</p>",
        "pages": (1, 2),
    }


def test_project_error_keeps_its_type_and_path() -> None:
    def fail():
        raise SourceError("front matter has no title", Path("leaflets/x.md"))

    with pytest.raises(SourceError) as caught:
        prepare_while_importing(fail)
    assert str(caught.value) == "leaflets/x.md: front matter has no title"
    with pytest.raises(UsageError, match="choose at least one"):
        prepare_while_importing(lambda: (_ for _ in ()).throw(UsageError("choose at least one")))


def test_unexpected_crash_is_one_clear_error() -> None:
    with pytest.raises(RenderError, match=r"preparing the document failed \(ZeroDivisionError\)"):
        prepare_while_importing(lambda: 1 / 0)
