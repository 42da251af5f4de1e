"""Inspect mode (F7, `rnn-tui inspect`): five views of what three small models (a tanh RNN, an
LSTM and a GRU, trained alike) learned, and of how they differ from their untrained selves; and
a sixth, the memory lab, where three more learn a long dependency in front of you (lab.py).

Every computation runs in a thread worker (work.py) and lands in the Bank, memoised per (model,
trained, text); a message then tells the screen to redraw from the Bank, so a stale worker's
result is kept for later rather than drawn over the present.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Footer, Input, Static, TabbedContent, TabPane

from ...mode import GoHome, ModeInfo
from ...widgets.table import fill
from .bank import CELLS, Bank, Loader
from .charts import GatesView, GradientView, ProbeView, View
from .lab import Lab, LabView
from .lens import Focus, ModelLens, is_sigmoid, legend
from .rank import RANK_HEADER, Ranking
from .unrolled import UnrolledDrawing
from .work import Landed, Presets, ProbeProgress, Workers

DEFAULT_TEXT = (
    "On Saturday morning we walked to the market in the rain. \"Do you want apples or pears?\" "
    "my sister asked, and I said, \"Both, please.\" Then the sun came out, so we sat on the wall "
    "by the river and ate them all, one after the other, until our hands were sticky."
)
MOST_CHARS = 400  # the lens shows (and the models read) the end of a longer text
VIEWS = ("lens", "gradient", "probe", "unrolled", "gates", "lab")
# Which keys mean something on which view (the footer offers only those).
KEYS_IN = {"unit": {"lens"}, "channel": {"lens", "unrolled"}, "cursor": {"lens"},
           "rank": {"lens"}, "model": {"lens", "unrolled"},
           "trained": {"lens", "probe", "unrolled", "gates"}, "probe": {"probe"},
           "forget_bias": {"gradient"}, "lab": {"lab"}}


@dataclass
class InspectSetup:
    text: str | None = None  # None: a paragraph of everyday English (DEFAULT_TEXT)
    loader: Loader | None = None  # None: lm.inspect.load_comparison (tests pass tiny models)
    max_k: int = 80  # gradient: steps back (past the comparison models' BPTT window of 64)
    windows: int = 4
    probe_gaps: tuple[int, ...] = (0, 10, 20, 40, 80, 160)
    probe_per_gap: int = 100
    lab_steps: int | None = None  # the memory lab's training steps (None: the command's own)


class InspectScreen(Lab, Ranking, Workers, Screen):
    MODE = ModeInfo("f7", "inspect", "inside a tanh RNN, an LSTM and a GRU: what they learned")
    AUTO_FOCUS = "#lens-models"
    BINDINGS = [
        Binding("escape", "leave", "back", tooltip="back to writing"),
        Binding("1", "view('lens')", "view", key_display="1-6", tooltip="the six views: cell "
                "lens, gradient through time, memory probe, unrolled cell, gate saturation, "
                "memory lab"),
        *(Binding(str(i), f"view('{v}')", show=False) for i, v in enumerate(VIEWS[1:], 2)),
        Binding("left,left_square_bracket", "unit(-1)", "unit", key_display="←/→",
                tooltip="the unit the lens follows (with Shift: ten at a time)"),
        Binding("right,right_square_bracket", "unit(1)", show=False),
        Binding("shift+left,left_curly_bracket", "unit(-10)", show=False),
        Binding("shift+right,right_curly_bracket", "unit(10)", show=False),
        Binding("up", "channel(-1)", show=False),
        Binding("down,l", "channel(1)", "layer/gate", key_display="↑/↓",
                tooltip="its layer, state or gate"),
        Binding("comma", "cursor(-1)", "char", key_display=",/.",
                tooltip="the character in focus"),
        Binding("full_stop", "cursor(1)", show=False),
        Binding("m", "model", "model", tooltip="the cell the lens and the unrolled view follow"),
        Binding("t", "trained", "trained/untrained", tooltip="trained or untrained weights"),
        Binding("slash", "rank", "rank units",
                tooltip="rank the units by how well they track a pattern (a regex or a preset)"),
        Binding("r", "probe", "run probe", tooltip="run the memory probe 'I <filler> ___ a boy'"),
        Binding("s", "lab", "start/stop lab", tooltip="train the memory lab's three cells "
                "live (and stop them)"),
        Binding("f", "forget_bias", "forget bias",
                tooltip="the untrained LSTM's forget-gate bias: +1 or 0"),
    ]

    def __init__(self):
        super().__init__()
        self.setup = self.app.setup_for(self.MODE.title) or InspectSetup()
        self._read(self.setup.text or self.app.written or DEFAULT_TEXT)
        self.bank = Bank(self.setup.loader)
        self.failed: dict[tuple, str] = {}
        self.trained, self.forget_bias, self.cell = True, 1.0, CELLS[0]
        self.focus = {cell: Focus() for cell in CELLS}

    def _read(self, text: str) -> None:
        """Make `text` the one the lens reads (the end of a long one)."""
        self.text = text[-MOST_CHARS:]
        # The gradient reads max_k steps back from several places: a short text borrows ours.
        self.gradient_text = self.text if len(self.text) > 2 * self.setup.max_k else DEFAULT_TEXT
        self.cursor = len(self.text) - 1
        self.mask: list[bool] | None = None
        self.ranked: list = []
        self.gradients_started = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Back from writing with new text: the lens reads it (what it read before stays cached).
        text = (self.setup.text or self.app.written or DEFAULT_TEXT)[-MOST_CHARS:]
        if self.is_mounted and text != self.text:
            self._read(text)
            self._start()
            if self.view == "gradient":
                self.gradients_started = True
                self.compute_gradients(self.gradient_text, self.forget_bias)

    def compose(self) -> ComposeResult:
        yield Static(id="inspect-status")
        with TabbedContent(id="inspect-tabs"):
            with TabPane("cell lens", id="lens"):
                with Horizontal(id="lens-main"):
                    with View(id="lens-models"):
                        yield Static(id="lens-hint")
                        for cell in CELLS:
                            yield ModelLens(id=f"lens-{cell}", classes="lens")
                    with Vertical(id="rank"):
                        yield Input(placeholder="/ a regex, or: inside quotes",
                                    id="rank-input")
                        yield Static(id="rank-error")
                        yield DataTable(id="rank-table", cursor_type="row")
            with TabPane("gradient", id="gradient"):
                yield GradientView(id="gradient-view")
            with TabPane("memory probe", id="probe"):
                yield ProbeView(id="probe-view")
            with TabPane("unrolled", id="unrolled"):
                with View(id="unrolled-view"):
                    yield UnrolledDrawing(id="unrolled-drawing")
            with TabPane("gates", id="gates"):
                yield GatesView(id="gates-view")
            with TabPane("memory lab", id="lab"):
                yield LabView(id="lab-view")
        yield Footer()

    def on_mount(self) -> None:
        self._start()

    def _start(self) -> None:
        fill(self.query_one("#rank-table", DataTable), RANK_HEADER, [])
        self.redraw()
        self.compute_traces(self.trained, self.text)

    # --- drawing from the bank ---------------------------------------------------------------

    def known(self, *key) -> object | None:
        """What the bank holds for key, else why it failed, else None (still computing)."""
        value = self.bank.peek(*key)
        return value if value is not None else self.failed.get(key)

    def _trace(self, cell: str):
        return self.known("trace", cell, self.trained, self.text)

    def _channel(self, cell: str):
        """The focused channel of a model whose trace is in (the focus wraps around)."""
        trace, focus = self._trace(cell), self.focus[cell]
        focus.channel %= len(trace.channels())
        focus.unit %= trace.hidden
        return trace.channels()[focus.channel]

    def redraw(self) -> None:
        state = "trained" if self.trained else "untrained"
        self.query_one("#inspect-status", Static).update(Text.assemble(
            ("inspect", "bold"), f" · tanh RNN, LSTM, GRU · {state} · {len(self.text)} "
            "characters", ("  Esc: back to writing", "dim")))
        self.draw_lens()
        self.draw_unrolled()
        self.draw_gates()
        self.draw_gradient()
        self.draw_probe()

    def draw_lens(self) -> None:
        for cell in CELLS:
            trace = self._trace(cell)
            if hasattr(trace, "channels"):
                self._channel(cell)  # wrap the focus into range
            self.query_one(f"#lens-{cell}", ModelLens).draw(
                cell, self.trained, trace, self.text, self.focus[cell], self.cursor, self.mask,
                cell == self.cell)
        hint = Text.assemble(("Hidden state", "bold"), ": each character coloured by one unit "
                             "of the state the cell carries to the next step.\n",
                             ("m", "bold"), f" model ({self.cell}) · ", ("←/→", "bold"),
                             " unit (⇧ ten) · ", ("↑/↓", "bold"), " state/gate · ", (",/.", "bold"),
                             " character · ", ("/", "bold"), " rank units")
        if hasattr(self._trace(self.cell), "channels"):
            channel = self._channel(self.cell)
            hint.append_text(Text.assemble(f"\n{self.cell} {channel.label()}: ",
                                           legend(is_sigmoid(self.cell, channel))))
        self.query_one("#lens-hint", Static).update(hint)

    def draw_unrolled(self) -> None:
        trace = self._trace(self.cell)
        per_layer = self.bank.peek("unroll", self.cell, self.trained, self.text)
        layer = self._channel(self.cell).layer if per_layer is not None else 0
        self.query_one(UnrolledDrawing).draw(
            per_layer[layer] if per_layer is not None else trace,
            f"{self.cell} ({'trained' if self.trained else 'untrained'}), layer {layer + 1}"
            + (f" of {trace.layers}" if hasattr(trace, "layers") else ""))

    def draw_gates(self) -> None:
        self.query_one(GatesView).show(self.trained, {
            cell: self.known("saturation", cell, self.trained) for cell in CELLS})

    def draw_gradient(self) -> None:
        self.query_one(GradientView).show({
            (cell, trained): self.known(*self.gradient_key(cell, trained, self.forget_bias,
                                                           self.gradient_text))
            for cell in CELLS for trained in (True, False)}, self.forget_bias,
            borrowed=self.gradient_text != self.text, window=self.bptt_window())

    def bptt_window(self) -> int | None:
        """The seq_len the trained comparison models learned with, when they agree on one."""
        lens = {model.trained_on.seq_len for cell in CELLS
                if (model := self.bank.peek("model", cell, True, None)) is not None}
        return lens.pop() if len(lens) == 1 and None not in lens else None

    def draw_probe(self) -> None:
        self.query_one(ProbeView).show(
            {cell: self.known("probe", cell, self.trained) for cell in CELLS}, self.trained,
            {cell: self.bank.peek("horizon", cell, self.trained) for cell in CELLS})

    def on_landed(self, message: Landed) -> None:
        if message.error is not None:
            self.failed[message.key] = message.error
        kind = message.key[0]
        if kind == "trace":
            self.redraw()
            if pattern := self.query_one("#rank-input", Input).value.strip():
                self.rank(pattern, self.trained, self.text)
        elif kind == "gradient":
            self.draw_gradient()
        elif kind == "probe":
            self.draw_probe()
        elif kind == "saturation":
            self.draw_gates()

    def on_probe_progress(self, message: ProbeProgress) -> None:
        self.query_one(ProbeView).progress(message.done, message.total)

    def on_presets(self, message: Presets) -> None:
        self.query_one("#rank-input", Input).suggester = SuggestFromList(message.names)

    # --- keys ---------------------------------------------------------------------------------

    @property
    def view(self) -> str:
        return self.query_one(TabbedContent).active or "lens"

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return action not in KEYS_IN or self.view in KEYS_IN[action]

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        event.pane.query(View).first().focus()
        self.refresh_bindings()
        if event.pane.id == "gradient" and not self.gradients_started:  # seconds of work
            self.gradients_started = True
            self.compute_gradients(self.gradient_text, self.forget_bias)
        if event.pane.id == "gates":
            self.compute_gates(self.trained)

    def action_view(self, view: str) -> None:
        self.query_one(TabbedContent).active = view

    def action_unit(self, step: int) -> None:
        if hasattr(self._trace(self.cell), "channels"):
            self.focus[self.cell].unit += step
            self.draw_lens()

    def action_channel(self, step: int) -> None:
        if hasattr(self._trace(self.cell), "channels"):
            self.focus[self.cell].channel += step
            self.draw_lens()
            self.draw_unrolled()

    def action_cursor(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.text)
        self.draw_lens()

    def action_model(self) -> None:
        self.cell = CELLS[(CELLS.index(self.cell) + 1) % len(CELLS)]
        self.draw_lens()
        self.draw_unrolled()

    def action_trained(self) -> None:
        self.trained = not self.trained
        self.redraw()
        self.compute_traces(self.trained, self.text)  # then the ranking reruns (on_landed)
        if self.view == "gates":
            self.compute_gates(self.trained)

    def action_rank(self) -> None:
        self.query_one("#rank-input", Input).focus()

    def action_probe(self) -> None:
        self.compute_probe(self.trained)

    def action_forget_bias(self) -> None:
        self.forget_bias = 0.0 if self.forget_bias else 1.0
        self.draw_gradient()
        self.compute_gradients(self.gradient_text, self.forget_bias)

    def action_leave(self) -> None:
        if isinstance(self.focused, (Input, DataTable)):  # Esc leaves the ranking first
            self.query_one("#lens-models").focus()
            return
        self.post_message(GoHome())
