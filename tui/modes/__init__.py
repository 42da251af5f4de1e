"""The app's modes, each a Screen in its own package: the app switches between them with
Textual's MODES. Adding a mode is its package and one entry here; the app's keys, the help and
the command palette are read from these screens' `MODE` and bindings."""

from __future__ import annotations

from textual.screen import Screen

from .inspect import InspectScreen
from .quiz import QuizScreen
from .train import TrainingScreen
from .write import WriteScreen

HOME = "write"  # where the app opens and where Esc from another mode comes back to
MODES: dict[str, type[Screen]] = {
    "write": WriteScreen,
    "quiz": QuizScreen,
    "inspect": InspectScreen,
    "train": TrainingScreen,
}

__all__ = ["HOME", "MODES"]
