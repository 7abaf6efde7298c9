"""One document from a cold start, for a physiotherapist waiting with a patient in the room.

Loading, translating and rendering the HTML takes about 0.2 s of imports and work; importing
WeasyPrint about 0.4 s. Where the system can fork, the HTML is prepared in a child process
while this one imports WeasyPrint, so the two overlap on a second core.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from typing import TypeVar

from .children import become_child
from .errors import LeafletError, RenderError
from .fonts import cache_root
from .pdf import weasyprint_module

T = TypeVar("T")


def prepare_while_importing(prepare: Callable[[], T]) -> T:
    """``prepare()``'s result (or its LeafletError), with WeasyPrint imported meanwhile."""
    if not hasattr(os, "fork"):
        result = prepare()
        weasyprint_module()
        return result
    cache_root()  # chosen (and any warning about it given) once, before the fork
    read_end, write_end = os.pipe()
    parent = os.getpid()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child, reported through the pipe
        become_child(parent)
        os.close(read_end)
        _answer(prepare, write_end)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as stream:
            weasyprint_module()
            answer = stream.read()
    except BaseException:  # interrupted, or WeasyPrint cannot load: the child goes too
        os.kill(child, signal.SIGTERM)
        raise
    finally:
        os.waitpid(child, 0)
    if not answer:
        raise RenderError("preparing the document failed (the helper process ended early)")
    succeeded, value = pickle.loads(answer)
    if not succeeded:
        raise value
    return value


def _answer(prepare: Callable[[], object], write_end: int) -> None:
    """In the child: run ``prepare``, send (succeeded, result or error), exit at once."""
    try:
        answer = (True, prepare())
    except LeafletError as exc:
        answer = (False, exc)
    except BaseException as exc:  # noqa: BLE001 - anything else becomes one clear line
        answer = (False, RenderError(f"preparing the document failed ({exc.__class__.__name__})"))
    try:
        with os.fdopen(write_end, "wb") as stream:
            pickle.dump(answer, stream)
    finally:
        os._exit(0)
