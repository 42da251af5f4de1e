"""The real app with its writing screen timed: when the input changed (the key has landed) and
when the side panel showed that text's candidates. Textual runs the base class's handlers after
these, so the screen behaves as it ships."""

from __future__ import annotations

import time

from tui.app import RnnTuiApp
from tui.modes.write import WriteScreen


class TimedWrite(WriteScreen):
    def __init__(self):
        super().__init__()
        self.changed_at: dict[str, float] = {}
        self.key_to_panel: list[float] = []  # ms, one per text whose candidates were shown

    def on_input_changed(self, event) -> None:
        self.changed_at[event.value] = time.perf_counter()

    def on_panel_ready(self, message) -> None:
        if message.result.text in self.changed_at:
            self.key_to_panel.append(
                (time.perf_counter() - self.changed_at.pop(message.result.text)) * 1000)


class TimedApp(RnnTuiApp):
    MODES = {**RnnTuiApp.MODES, "write": TimedWrite}
