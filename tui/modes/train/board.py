"""The run board: a training run's events drawn as they arrive. Train loss and validation bpc
curves (plotext), sparklines of the learning rate and the gradient norm (with the clipped
steps counted), tokens/s and ETA, and each validation's sample in a log, so you watch the model
go from spaces to words to sentences.

feed() takes the events (the dicts of `rnn-tui train --events jsonl`) at whatever rate they
come and only records them; the drawing happens at most a few times a second (flush()), so a
fast tiny run cannot flood the UI.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import ProgressBar, RichLog, Sparkline, Static
from textual_plotext import Plot

from ...widgets.chart import Chart
from .series import Series

REDRAW_S = 0.5  # how often the board catches up with the events it has taken


class RunBoard(Vertical):
    DEFAULT_CSS = """
    RunBoard { height: 1fr; }
    RunBoard #board-status { height: auto; padding: 0 1; }
    RunBoard #board-progress { height: 1; padding: 0 1; }
    RunBoard #board-charts { height: 1fr; min-height: 10; }
    RunBoard Chart { width: 1fr; height: 1fr; }
    RunBoard #board-sparks { height: 2; padding: 0 1; }
    RunBoard .spark-label { width: 36; height: 2; }
    RunBoard Sparkline { width: 1fr; height: 2; margin: 0 2 0 0; }
    RunBoard #board-samples { height: 8; border: round $primary-muted; }
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.reset()

    def compose(self) -> ComposeResult:
        yield Static(id="board-status")
        yield ProgressBar(total=1.0, show_eta=False, id="board-progress")
        with Horizontal(id="board-charts"):
            yield Chart(id="board-loss")
            yield Chart(id="board-bpc")
        with Horizontal(id="board-sparks"):
            yield Static(classes="spark-label", id="board-lr-label")
            yield Sparkline([], id="board-lr")
            yield Static(classes="spark-label", id="board-grad-label")
            yield Sparkline([], id="board-grad")
        yield RichLog(id="board-samples", wrap=True, markup=False, max_lines=200)

    def on_mount(self) -> None:
        self.set_interval(REDRAW_S, self.flush)
        self.flush()

    # --- taking events ---------------------------------------------------------------------

    def reset(self, title: str = "") -> None:
        """A board for a new run (a resumed run keeps what is drawn: feed() trims it)."""
        self.title = title
        self.loss, self.lr, self.grad = Series(), Series(200), Series(200)
        self.val: list[tuple[int, float]] = []  # (step, bpc): few points, kept whole
        self.last: dict = {}  # the newest progress event
        self.started: dict = {}
        self.best_bpc: float | None = None
        self.clipped, self.last_clip = 0, None
        self.state = "waiting"  # waiting, training, stopping, finished, stopped, failed
        self.note = ""
        self.dirty = True
        self.val_drawn = -1  # how many validation points the bpc chart shows
        if self.is_mounted:
            self.query_one(RichLog).clear()

    def feed(self, event: dict) -> None:
        kind = event.get("event")
        if kind == "preparing":  # a big corpus takes a while to read and encode: say how far
            share = event["done"] / event["total"] if event.get("total") else 1.0
            self.note = f"{event['what']} {share:.0%}"
        elif kind == "started":
            self.note = ""
            self.started = event
            self.state = "training"
            self._trim(event.get("resumed_at", 0))
            how = f"resumed at step {event['resumed_at']:,}" if event.get("resumed_at") else "new run"
            self._log(f"— {how}: {event['parameters']:,} parameters, vocabulary "
                      f"{event['vocab_size']}, {event['train_tokens']:,} training tokens —")
        elif kind == "progress":
            step = event["step"]
            self.last = event
            self.loss.add(step, event["loss"])
            self.lr.add(step, event["lr"])
            self.grad.add(step, event["grad_norm"])
            if event["clipped"]:
                self.clipped += 1
                self.last_clip = step
        elif kind == "evaluated":
            self.val.append((event["step"], event["val_bpc"]))
            if self.best_bpc is None or event["val_bpc"] < self.best_bpc:
                self.best_bpc = event["val_bpc"]
        elif kind == "sampled":
            self._log(f"step {event['step']:,}", style="bold")
            self._log(event["text"])
        elif kind == "finished":
            self.state = "stopped" if event["interrupted"] else "finished"
            self.note = (f"best val bpc {event['best_val_bpc']:.3f}, {event['steps']:,} steps, "
                         f"{event['tokens_per_s']:,.0f} tokens/s")
        elif kind == "failed":
            self.state, self.note = "failed", event.get("message", "")
        self.dirty = True

    def stopping(self) -> None:
        self.state = "stopping"
        self.dirty = True
        self.flush()

    def fail(self, message: str) -> None:
        self.state, self.note = "failed", message
        self.dirty = True
        self.flush()

    def _trim(self, step: int) -> None:
        for series in (self.loss, self.lr, self.grad):
            series.drop_after(step)
        self.val = [(s, v) for s, v in self.val if s <= step]
        self.val_drawn = -1
        self.best_bpc = min((v for _, v in self.val), default=None)

    def _log(self, text: str, style: str = "") -> None:
        if self.is_mounted:
            self.query_one(RichLog).write(Text(text, style=style))

    # --- drawing ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Draw what has come in since the last time (the interval calls this)."""
        if not self.dirty or not self.is_mounted:
            return
        self.dirty = False
        self.query_one("#board-status", Static).update(self.status())
        p = self.last
        if p:
            self.query_one(ProgressBar).update(progress=min(1.0, p["fraction"]))
        steps, losses = self.loss.points()
        self.query_one("#board-loss", Chart).show(
            lambda plt: _line(plt, steps, losses, "train loss (nats/token)", "cyan"))
        if len(self.val) != self.val_drawn:  # a chart costs ~10 ms to draw: only when it moved
            self.val_drawn = len(self.val)
            val_steps, bpcs = [s for s, _ in self.val], [v for _, v in self.val]
            self.query_one("#board-bpc", Chart).show(
                lambda plt: _line(plt, val_steps, bpcs, "validation bits per char", "orange"))
        self.query_one("#board-lr", Sparkline).data = self.lr.points()[1]
        self.query_one("#board-grad", Sparkline).data = self.grad.points()[1]
        self.query_one("#board-lr-label", Static).update(
            f"learning rate {p['lr']:.2e}" if p else "learning rate")
        clip = (f"clipped {self.clipped:,}×, last at {self.last_clip:,}" if self.clipped
                else "never clipped")
        self.query_one("#board-grad-label", Static).update(
            f"grad norm {p['grad_norm']:.3f}\n{clip}" if p else "grad norm")

    def status(self) -> Text:
        """Two lines: where the run stands, then its pace and folder (and a note, if any)."""
        p, s = self.last, self.started
        head = {"waiting": ("starting…", "dim"), "training": ("training", "green"),
                "stopping": ("stopping: saving…", "yellow"), "finished": ("finished", "green bold"),
                "stopped": ("stopped", "yellow bold"), "failed": ("failed", "red bold")}
        word, style = head[self.state]
        where: list[str] = []
        pace: list[str] = []
        if p:
            # The step count decides the end (not a time budget): it is a real total.
            by_steps = abs(p["fraction"] - p["step"] / max(p["total_steps"], 1)) < 1e-9
            total = f"/{p['total_steps']:,}" if by_steps else ""
            where += [f"step {p['step']:,}{total}", f"epoch {p['epoch'] + 1}",
                      f"loss {p['loss']:.3f}"]
            pace += [f"{p['tokens_per_s']:,.0f} tok/s", f"elapsed {clock(p['elapsed'])}"]
            if self.state == "training":
                pace.append(f"ETA {clock(p['eta'])}")
        if self.val:
            where.append(f"val bpc {self.val[-1][1]:.3f} (best {self.best_bpc:.3f})")
        folder = s.get("out_dir") or self.title
        lines = [Text.assemble((word, style), "  ", " · ".join(where)),
                 Text.assemble(" · ".join(pace), ("  " if pace else "") + folder, style="")]
        lines[1].stylize("dim", len(" · ".join(pace)))
        if self.note:
            lines.append(Text(self.note, style="red" if self.state == "failed" else ""))
        return Text("\n").join(lines)


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60}:{rest % 60:02d}"


def _line(plt: Plot, xs: list[float], ys: list[float], title: str, color: str) -> None:
    plt.title(title)
    plt.xlabel("step")
    if xs:
        plt.plot(xs, ys, color=color, marker="braille")
        if len(xs) == 1:  # one point draws no line: show it
            plt.scatter(xs, ys, color=color, marker="hd")
