"""The conversation so far: your turns and the model's, the latest one growing as it streams."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static


class Turn(Static):
    def __init__(self, speaker: str, text: str = ""):
        super().__init__(text, classes=f"turn {speaker}", markup=False)
        self.speaker = speaker
        self.text = text
        self.border_title = "you" if speaker == "A" else "model"

    def append(self, piece: str) -> None:
        self.text += piece
        self.update(self.text)


HINT = ("Type a sentence and the model writes along (Tab takes it). Try a blank: I ___ a boy. "
        "Enter chats with the model, F6 plays the quiz, F1 lists the keys.")


class Transcript(VerticalScroll):
    # Never focused: keys always go to the input, and the app's PageUp/PageDown and
    # Ctrl+Home/End scroll this from there.
    can_focus = False
    # Whether the view follows the newest text: until the reader scrolls up, and again once they
    # are back at the bottom. A flag, not the position: a resize moves the bottom, not the reader.
    follow = True

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.follow = new_value >= self.max_scroll_y - 1

    def on_resize(self, event) -> None:
        if self.follow:
            self.call_after_refresh(self.scroll_end, animate=False)

    def compose(self):
        yield Static(HINT, id="hint", markup=False)  # until the first turn

    def add(self, speaker: str, text: str = "") -> Turn:
        for hint in self.query("#hint"):
            hint.remove()
        turn = Turn(speaker, text)
        self.mount(turn)
        if self.follow:
            self.call_after_refresh(self.scroll_end, animate=False)
        return turn

    def grow(self, turn: Turn, piece: str) -> None:
        turn.append(piece)  # followed only while the reader stays at the bottom (see follow)
        if self.follow:
            self.call_after_refresh(self.scroll_end, animate=False)

    def as_text(self) -> str:
        return "\n".join(f"{t.speaker}: {t.text}" for t in self.query(Turn))
