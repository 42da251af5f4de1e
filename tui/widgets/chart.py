"""A plotext chart drawn afresh from a function on every render.

plotext keeps figure state, and its log scale rewrites the data in place when it builds, so
building the same figure twice would take the log twice: clearing and drawing again is both the
simple and the correct way to show new data.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual_plotext import Plot, PlotextPlot


class Chart(PlotextPlot):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.draw: Callable[[Plot], None] | None = None

    def show(self, draw: Callable[[Plot], None] | None) -> None:
        self.draw = draw
        self.refresh()

    def render(self):
        if self.size.width < 10 or self.size.height < 5:  # plotext fails on a sliver
            return Text("")
        self.plt.clear_figure()
        if self.draw is not None:
            self.draw(self.plt)
        return super().render()
