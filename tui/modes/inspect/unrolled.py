"""The cell unrolled over the last few characters: the same box (the same W_xh and W_hh) at
every step, h (and the LSTM's c) carried right, and the first units' live values below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

import lm

from .lens import shown, value_style

if TYPE_CHECKING:
    from lm.inspect.unroll import Unrolled

MARGIN = 6  # row labels: "h₀ ─▶", "h[0]"
BOX = 9  # ┌───────┐
LINK = 4  # ─h─▶
MOST = 8  # steps unrolled at most


def steps_that_fit(width: int) -> int:
    return max(1, min(MOST, (width - MARGIN - 2) // (BOX + LINK)))


def _box_row(n: int, inner: list[str], link: str, start: str) -> Text:
    row = Text(start.rjust(MARGIN))
    for _ in range(n):
        row.append(f"│{inner[0]:^7}│" if inner else "")
        row.append(link, "bold")
    return row


def draw_unrolled(u: Unrolled, width: int, title: str) -> Text:
    n = min(steps_that_fit(width), len(u.steps))
    steps, tokens = u.steps[-n:], u.tokens[-n:]
    cell = lm.CELLS[u.cell]
    lines = [
        Text.assemble((title, "bold"), f" · the last {n} characters"),
        Text.assemble(("W_xh", "bold"), f" {u.w_xh_shape[0]}×{u.w_xh_shape[1]} ‖{u.w_xh_norm:.1f}‖",
                      "   ", ("W_hh", "bold"),
                      f" {u.w_hh_shape[0]}×{u.w_hh_shape[1]} ‖{u.w_hh_norm:.1f}‖",
                      ("   the same two matrices at every step", "dim")),
        Text(""),
        Text(" " * MARGIN + ("┌" + "─" * (BOX - 2) + "┐" + " " * LINK) * n),
        _box_row(n, ["W_hh"], "─h─▶", "h ─▶"),
        _box_row(n, [cell.box], " " * LINK, ""),
    ]
    for part in cell.state[1:]:  # a state beyond h (the LSTM's c) has a row of its own
        lines.append(_box_row(n, [cell.state_update], f"─{part}─▶", f"{part} ─▶"))
    lines += [
        _box_row(n, ["W_xh"], " " * LINK, ""),
        Text(" " * MARGIN + ("└" + "─" * 3 + "▲" + "─" * 3 + "┘" + " " * LINK) * n),
        Text(" " * MARGIN + "".join(f"{repr(shown(t))[1:-1]:^{BOX}}" + " " * LINK
                                    for t in tokens), "bold"),
        Text(""),
    ]
    for key in steps[0]:
        for j in range(len(steps[0][key])):
            row = Text(f"{key}[{j}]".ljust(MARGIN), "dim")
            for step in steps:
                v = step[key][j]
                row.append(f"{v:+.2f}".center(BOX), value_style(v, key in cell.sigmoid_gates))
                row.append(" " * LINK)
            lines.append(row)
    return Text("\n").join(lines)


class UnrolledDrawing(Static):
    """Redrawn on resize: the number of steps fits the width."""

    unrolled: Unrolled | None = None
    heading = ""

    def draw(self, unrolled: Unrolled | str | None, title: str) -> None:
        self.unrolled, self.heading = unrolled, title
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        u = self.unrolled
        if u is None or isinstance(u, str):
            self.update(Text(f"{self.heading}: {u or 'computing…'}", style="dim" if u is None
                             else "red"))
        else:
            self.update(draw_unrolled(u, self.size.width or 80, self.heading))
