"""What every mode of the app shares: how it introduces itself (its key, title and blurb, read by
the app's bindings, the help and the command palette) and the messages it sends up to the app.

A mode is a Textual Screen with a `MODE` and an entry in `tui.modes.MODES`; modes never import
each other, and reach the app only through these messages and its public attributes (the model,
the settings, the text last written).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message


@dataclass(frozen=True)
class ModeInfo:
    key: str  # the app-wide key that opens it (F5-F8)
    title: str  # as the footer, the palette and the help name it
    about: str  # one line: what it is for
    needs_model: bool = False  # opens only once the writing model has loaded


class UseModel(Message):
    """Write (and quiz) with the model at `path` from now on."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path


class GoHome(Message):
    """Leave this mode for the writing mode."""


class Wrote(Message):
    """The text the user last wrote, for modes that read it (the cell lens)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text
