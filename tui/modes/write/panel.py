"""The side panel: the model's top candidates for the blank (or the word being typed)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

from .writer import PanelView

BAR = 8
WORD = 12  # columns for a candidate: a longer one is cut with an ellipsis, never the numbers


class CandidatePanel(Static):
    """Each candidate with its probability as a bar and a number; Alt+1–9 pick a blank's fill,
    and a click on a row picks that candidate (for the word being typed: completes it)."""

    DEFAULT_CLASSES = "panel"

    class Picked(Message):
        """A candidate row was clicked: the index into `result.candidates`."""

        def __init__(self, index: int):
            super().__init__()
            self.index = index

    def on_mount(self) -> None:
        self.border_title = "next word"
        self.show(None)

    result: PanelView | None = None

    def show(self, result: PanelView | None) -> None:
        self.result = result
        table = Table.grid(padding=(0, 1))
        table.add_column(justify="right", style="dim")
        table.add_column(no_wrap=True, overflow="ellipsis", max_width=WORD)
        table.add_column(no_wrap=True)
        table.add_column(justify="right")
        if result is None or not result.candidates:
            self.border_title = "next word"
            empty = "start typing…" if result is None else result.note or "no candidates"
            self.update(Text(empty, style="dim"))
            return
        n = min(9, len(result.candidates))
        keys = "Alt+1" if n == 1 else f"Alt+1–{n}"
        self.border_title = f"blank: Tab or {keys}" if result.blank else "next word"
        for rank, (word, p) in enumerate(((c.token_str, c.score) for c in result.candidates), 1):
            full = round(p * BAR)
            bar = Text("█" * full + "░" * (BAR - full), style="green" if rank == 1 else "cyan")
            table.add_row(str(rank), word, bar, f"{p:.2f}")
        if result.blank and result.preview:
            self.update(Group(table, Text(""), Text(result.preview, style="italic")))
        else:
            self.update(table)

    def on_click(self, event: events.Click) -> None:
        # One table row per candidate, from the top of the content (no header, no wrapping).
        at = event.get_content_offset(self)
        if at is not None and self.result and 0 <= at.y < len(self.result.candidates):
            self.post_message(self.Picked(at.y))
