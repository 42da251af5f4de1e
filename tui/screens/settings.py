"""F2: the sampling settings, each checked before it is kept."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from ..settings import Settings

FIELDS = [  # lm.Sampling's field, label, parse; lm.Sampling checks the values
    ("temperature", "temperature", float),
    ("top_k", "top-k", int),
    ("top_p", "top-p", float),
    ("max_tokens", "reply tokens", int),
]


class SettingsScreen(ModalScreen[Settings | None]):
    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, settings: Settings):
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        with Grid(id="settings"):
            for name, label, *_ in FIELDS:
                yield Label(label)
                yield Input(str(getattr(self.settings.sampling, name)), id=name)
            yield Label("", id="error")
            with Horizontal():
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
            return
        self.save()

    def on_mount(self) -> None:
        self.query_one("#settings").border_title = "settings (F9 shows what they do)"

    def on_input_submitted(self) -> None:
        self.save()

    def on_input_changed(self) -> None:
        self.query_one("#error", Label).update("")  # an error is about what was there before

    def save(self) -> None:
        values = {}
        for name, label, parse in FIELDS:
            raw = self.query_one(f"#{name}", Input).value.strip()
            try:
                values[name] = parse(raw)
            except ValueError:
                self.query_one("#error", Label).update(f"{label}: {raw!r} is not a number")
                return
        try:
            sampling = replace(self.settings.sampling, **values)
        except ValueError as e:
            self.query_one("#error", Label).update(str(e))
            return
        self.dismiss(replace(self.settings, sampling=sampling))

    def action_cancel(self) -> None:
        self.dismiss(None)
