"""The cell lens: the text drawn once per model, each character on the colour of one unit's
value after reading it, with the model's top-3 guesses for the character after the cursor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.color import Color
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

import lm

if TYPE_CHECKING:
    from lm.inspect.trace import Channel, TextTrace

WHITE, RED, BLUE, GREEN = (255, 255, 255), (214, 39, 40), (31, 119, 180), (44, 160, 44)
SHOWN = {" ": "␣", "\n": "⏎", "\t": "⇥"}


def is_sigmoid(cell: str, channel: Channel) -> bool:
    # Gates in 0..1; h, c and the candidates g, n are tanh-like (signed).
    return channel.name in lm.CELLS[cell].sigmoid_gates


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def value_style(value: float, sigmoid: bool, scale: float = 1.0) -> Style:
    """Diverging blue (negative) / white / red (positive) for signed values over ±scale;
    white to green for a gate's 0..1. The ink is black or white, whichever reads."""
    if sigmoid:
        rgb = _mix(WHITE, GREEN, min(1.0, max(0.0, value)))
    else:
        t = min(1.0, max(-1.0, value / scale))
        rgb = _mix(WHITE, RED if t > 0 else BLUE, abs(t))
    light = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140
    return Style(color="black" if light else "white", bgcolor=Color.from_rgb(*rgb))


def legend(sigmoid: bool) -> Text:
    """The colour scale as swatches: 0 to 1 for a gate, −1 to +1 (−max to +max for c) else."""
    steps = [i / 4 for i in range(5)] if sigmoid else [i / 4 for i in range(-4, 5)]
    ends = ("shut 0 ", " 1 open") if sigmoid else ("−1 ", " +1")
    return Text.assemble(ends[0], *(("  ", value_style(v, sigmoid)) for v in steps), ends[1])


def shown(piece: str) -> str:
    return "".join(SHOWN.get(ch, ch) for ch in piece)


@dataclass
class Focus:
    """What one model's block shows: an index into trace.channels() and a unit."""

    channel: int = 0
    unit: int = 0


def token_at(trace: TextTrace, char: int) -> int:
    """The token covering character `char` (char models: the same index)."""
    for t, (start, end) in enumerate(trace.spans):
        if start <= char < end:
            return t
    return len(trace.spans) - 1


def lens_text(trace: TextTrace, text: str, focus: Focus, cursor: int,
              mask: list[bool] | None) -> Text:
    """`text` as typed: trace.text has the model's unknown-character mark where it differs."""
    channel = trace.channels()[focus.channel]
    values = trace.per_char(channel, focus.unit)
    sigmoid = is_sigmoid(trace.cell, channel)
    # c is unbounded: scale by the unit's own range over this text, so its sign still shows.
    scale = 1.0 if channel.name != "c" else max(1e-6, max(abs(v) for v in values))
    if len(text) != len(trace.text):  # a subword model may have respelled it
        text = trace.text
    out = Text()
    for i, (ch, v) in enumerate(zip(text, values)):
        style = value_style(v, sigmoid, scale)
        if mask is not None and i < len(mask) and mask[i]:
            style += Style(underline=True)
        if i == cursor:
            style += Style(bold=True, reverse=True)
        out.append(ch, style)
    return out


def guesses_text(trace: TextTrace, cursor: int) -> Text:
    t = token_at(trace, cursor)
    out = Text.assemble(("after ", "dim"), (repr(shown(trace.tokens[t])), "bold"), ("  next: ", "dim"))
    for piece, p in trace.guesses[t][:3]:
        out.append_text(Text.assemble((shown(piece), "bold"), f" {p:.0%}   "))
    return out


class ModelLens(Static):
    """One model's block: the lens and its guesses; the focused model's border is lit."""

    def draw(self, cell: str, trained: bool, trace: TextTrace | str | None, text: str,
             focus: Focus, cursor: int, mask: list[bool] | None, focused: bool) -> None:
        self.set_class(focused, "-focused")
        self.border_subtitle = "trained" if trained else "untrained"
        if not hasattr(trace, "channels"):  # None: still computing; str: why it failed
            self.border_title = cell
            self.update(Text(trace or "computing…", style="dim" if trace is None else "red"))
            return
        channel = trace.channels()[focus.channel]
        self.border_title = f"{cell} · {channel.label()} · unit {focus.unit + 1}/{trace.hidden}"
        self.update(Text("\n").join([lens_text(trace, text, focus, cursor, mask),
                                    guesses_text(trace, cursor)]))
