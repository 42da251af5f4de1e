"""F2: the sampling settings, each checked before it is kept."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from ..writer import Settings

FIELDS = [  # name, label, parse, check, message
    ("temperature", "temperature", float, lambda v: 0 <= v <= 5, "0 to 5 (0 is greedy)"),
    ("top_k", "top-k", int, lambda v: v >= 0, "0 (off) or more"),
    ("top_p", "top-p", float, lambda v: 0 < v <= 1, "above 0, at most 1"),
    ("max_tokens", "reply tokens", int, lambda v: 1 <= v <= 5000, "1 to 5000"),
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
                yield Input(str(getattr(self.settings, name)), id=name)
            yield Label("", id="error")
            with Horizontal():
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
            return
        self.save()

    def on_input_submitted(self) -> None:
        self.save()

    def save(self) -> None:
        values = {}
        for name, label, parse, check, message in FIELDS:
            raw = self.query_one(f"#{name}", Input).value.strip()
            try:
                value = parse(raw)
            except ValueError:
                value = None
            if value is None or not check(value):
                self.query_one("#error", Label).update(f"{label}: {message}")
                return
            values[name] = value
        self.dismiss(replace(self.settings, **values))

    def action_cancel(self) -> None:
        self.dismiss(None)
