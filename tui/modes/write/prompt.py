"""The input line: ghost text after the cursor, Tab / → accept it, Ctrl+→ takes one word,
↑/↓ walk the history; with a blank in the line Tab puts the best candidate in and Alt+1–9 any
of them (a plain digit is text: "I have ___ apples and 3" keeps its 3)."""

from __future__ import annotations

import re

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

import lm

NEXT_WORD = re.compile(r"\s*[\w']+|\s*\S")
# What Alt+1-9 arrive as where the terminal sends Alt as an ESC prefix (tmux, GNOME Terminal,
# Konsole, Alacritty): Textual reads ESC+digit as the characters macOS types with Option+digit,
# so the alt+N bindings never fire there. While the line holds a blank they pick instead.
ALT_DIGITS = "¡™£¢∞§¶•ª"


class Prompt(Input):
    BINDINGS = [
        Binding("tab", "accept_all", "accept", show=True, tooltip="accept the dim ghost text (the "
                "model's greedy continuation); with a blank in the line, the best candidate"),
        # The screen's Shift+Tab would move the focus off the input, and typed keys would vanish:
        # the input is the only place keys go here (PageUp/PageDown scroll the transcript).
        Binding("shift+tab", "stay", show=False),
        Binding("ctrl+right", "accept_word", "one word", show=False,  # in F1: the footer is full
                tooltip="accept one word of the ghost text"),
        Binding("up", "history(-1)", "history", show=False, key_display="↑ / ↓",
                tooltip="your earlier lines"),
        Binding("down", "history(1)", "", show=False),
        *(Binding(f"alt+{n}", f"pick({n - 1})", show=False, key_display="Alt+1-9",
                  tooltip="with a blank in the line (`___`, `(BOX)` or `[BOX]`): put the n-th "
                  "candidate in (plain digits are text)") for n in range(1, 10)),
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

    def action_stay(self) -> None:
        pass

    async def _on_key(self, event: events.Key) -> None:
        char = event.character
        if char and char in ALT_DIGITS and lm.find_blanks(self.value):
            event.prevent_default()
            event.stop()
            self.post_message(self.Pick(ALT_DIGITS.index(char)))
            return
        await super()._on_key(event)

    def _on_paste(self, event: events.Paste) -> None:
        # The prompt is one line (a chat turn is one line of the A:/B: format), and Input keeps
        # only a paste's first line: join the lines with spaces instead, so nothing is lost.
        lines = [line.strip() for line in event.text.splitlines()]
        text = " ".join(line for line in lines if line)
        if text:
            if self.selection.is_empty:
                self.insert_text_at_cursor(text)
            else:
                self.replace(text, *self.selection)
        event.prevent_default()  # not Input's own handler after this one
        event.stop()

    def action_pick(self, index: int) -> None:
        if lm.find_blanks(self.value):
            self.post_message(self.Pick(index))
