"""The input line: ghost text after the cursor, Tab / → accept it, Ctrl+→ takes one word,
↑/↓ walk the history; with a blank in the line Tab puts the best candidate in and Alt+1–9 any
of them (a plain digit is text: "I have ___ apples and 3" keeps its 3; some terminals send
Alt+digit as a character, so Tab is the gesture that always works)."""

from __future__ import annotations

import re

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

import lm

NEXT_WORD = re.compile(r"\s*[\w']+|\s*\S")


class Prompt(Input):
    BINDINGS = [
        Binding("tab", "accept_all", "accept", show=True),
        Binding("ctrl+right", "accept_word", "one word", show=False),  # in F1: the footer is full
        Binding("up", "history(-1)", "history", show=False),
        Binding("down", "history(1)", "", show=False),
        *(Binding(f"alt+{n}", f"pick({n - 1})", show=False) for n in range(1, 10)),
    ]

    class Pick(Message):
        """Alt+digit pressed while the text holds a blank."""

        def __init__(self, index: int):
            super().__init__()
            self.index = index

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.history: list[str] = []
        self._history_at = 0
        self._draft = ""

    @property
    def ghost(self) -> str:
        s = self._suggestion
        return s[len(self.value):] if s.startswith(self.value) else ""

    def action_accept_all(self) -> None:
        if lm.find_blanks(self.value):  # no ghost text with a blank: Tab takes the best fill
            self.post_message(self.Pick(0))
        elif self.ghost:
            self.value = self._suggestion
            self.cursor_position = len(self.value)

    def action_accept_word(self) -> None:
        ghost = self.ghost
        if ghost and self.cursor_position == len(self.value):
            word = NEXT_WORD.match(ghost).group(0)
            self.value += word
            self.cursor_position = len(self.value)
        else:
            self.action_cursor_right_word()

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._history_at == len(self.history):
            self._draft = self.value  # leaving the line being written: keep it to come back to
        self._history_at = max(0, min(len(self.history), self._history_at + step))
        self.value = (self.history[self._history_at] if self._history_at < len(self.history)
                      else self._draft)
        self.cursor_position = len(self.value)

    def remember(self, text: str) -> None:
        self.history.append(text)
        self._history_at = len(self.history)

    def action_pick(self, index: int) -> None:
        if lm.find_blanks(self.value):
            self.post_message(self.Pick(index))
