"""F9 in the writer: the next token's distribution, as the model gives it and as sampling draws
from it, with the temperature, top-k and top-p changed live, so you see what sampling does
before it samples; with a blank in the line, the same for the blank's candidates. The changes
are the app's settings: the chat samples with what you leave."""

from __future__ import annotations

from dataclasses import replace

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

import lm

from ...tables import bar
from ...terminal_text import one_line

SHOWN = 20
TOP_KS = (0, 5, 20, 50)  # what k cycles through; 0 is off
CAPTION = ("The model gives every possible next token a probability (left). Sampling divides its "
           "scores by the temperature, keeps the top k and the fewest tokens holding top-p of "
           "the probability, and draws from what is left (right): low temperature sharpens, "
           "high flattens.")


def visible(token: str) -> str:
    """A token as it reads: a subword's leading space (a word start) and newlines shown."""
    return one_line(token.replace(" ", "␣").replace("\n", "⏎")) or "∅"


class DistributionScreen(ModalScreen):
    BINDINGS = [
        Binding("escape,f9", "app.pop_screen", "close"),
        Binding("left", "temperature(-0.1)", "T-", key_display="←/→"),
        Binding("right", "temperature(0.1)", "T+", show=False),
        Binding("down", "top_p(-0.05)", "top-p", key_display="↓/↑"),
        Binding("up", "top_p(0.05)", "top-p+", show=False),
        Binding("k", "top_k", "top-k"),
    ]

    def __init__(self, model: lm.LanguageModel, text: str):
        super().__init__()
        self.model, self.text = model, text
        self.session: lm.Session | None = None
        self.candidates: list[lm.Candidate] | None = None  # the blank's, when the line has one

    def compose(self) -> ComposeResult:
        scroll = VerticalScroll(id="distribution")
        scroll.can_focus = False  # the arrows are the temperature's and top-p's, not scrolling
        with scroll:
            yield Static(Text("reading the text…", style="dim"), id="distribution-body")
        yield Footer()

    def on_mount(self) -> None:
        self.read()

    @work(thread=True, exclusive=True)
    def read(self) -> None:
        if lm.find_blanks(self.text):
            candidates = self.model.fill(self.text, k=SHOWN)[0]
            self.app.call_from_thread(self._ready, None, candidates)
        else:
            self.app.call_from_thread(self._ready, self.model.session(self.text), None)

    def _ready(self, session: lm.Session | None, candidates: list | None) -> None:
        self.session, self.candidates = session, candidates
        self.draw()

    def draw(self) -> None:
        if self.session is None and self.candidates is None:
            return
        s = self.app.settings.sampling
        if self.candidates is not None:
            view = lm.blank_shares(self.candidates, s)
        else:
            view = self.session.next_token(s, SHOWN)
        table = Table(box=None, padding=(0, 1, 0, 0), show_edge=False)
        for name, justify in (("token", "left"), ("model", "right"), ("", "left"),
                              ("drawn", "right"), ("", "left")):
            table.add_column(name, justify=justify, no_wrap=True)
        for share in view.shares:
            cut = share.sampled == 0
            table.add_row(visible(share.token), f"{share.p:.3f}", bar(share.p, 14),
                          "cut" if cut else f"{share.sampled:.3f}",
                          Text("") if cut else bar(share.sampled, 14),
                          style="dim" if cut else "")
        if self.candidates is not None:
            title = Text.assemble(("the blank's candidates in ", "bold"),
                                  (one_line(self.text[-60:]), "italic"),
                                  (" (normalised over them, as the panel shows them)", "dim"))
        else:
            after = one_line(self.text[-50:]) or "(the start of a text)"
            title = Text.assemble(("next token after ", "bold"), (f"…{after}", "italic"))
        self.query_one("#distribution-body", Static).update(Group(
            title,
            Text(CAPTION, style="dim"),
            Text.assemble(f"temperature {s.temperature:g} · top-k {s.top_k or 'off'} · top-p "
                          f"{s.top_p:g}  →  ", (f"{view.candidates:,} tokens can be drawn", "bold"),
                          f"; uncertainty {view.entropy_bits:.1f} bits as the model gives it, "
                          f"{view.sampled_entropy_bits:.1f} as drawn"),
            Text(""), table))

    def _change(self, **sampling) -> None:
        s = self.app.settings
        try:
            self.app.settings = replace(s, sampling=replace(s.sampling, **sampling))
        except ValueError:
            return  # past a bound: stay at it
        self.app.keep_settings()
        self.draw()

    def action_temperature(self, step: float) -> None:
        t = self.app.settings.sampling.temperature
        self._change(temperature=round(min(lm.MAX_TEMPERATURE, max(0.0, t + step)), 2))

    def action_top_p(self, step: float) -> None:
        self._change(top_p=round(min(1.0, max(0.05, self.app.settings.sampling.top_p + step)), 2))

    def action_top_k(self) -> None:
        k = self.app.settings.sampling.top_k
        self._change(top_k=TOP_KS[(TOP_KS.index(k) + 1) % len(TOP_KS)] if k in TOP_KS else 0)
