"""Shows a training run in the terminal: a rich progress bar, validation lines and samples."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

import lm

RESOLUTION = 10_000  # the bar counts fractions of the run: by steps or by the time budget


class TrainView:
    def __init__(self, console: Console):
        self.console = console
        self.progress = Progress(
            TextColumn("epoch {task.fields[epoch]}"),
            BarColumn(),
            TextColumn("step {task.fields[step]}/{task.fields[steps_total]}"),
            TextColumn("loss {task.fields[loss]:.3f}"),
            TextColumn("val bpc {task.fields[bpc]}"),
            TextColumn("{task.fields[tps]:,.0f} tok/s{task.fields[slow]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task = None
        self.preparing = None  # the bar for reading and encoding a big corpus, before the run
        self.prep_progress = Progress(
            TextColumn("{task.description:<24}"), BarColumn(),
            TextColumn("{task.fields[done]:,.1f}/{task.fields[of]:,.1f} {task.fields[unit]}"),
            TimeRemainingColumn(), console=console, transient=True)

    def __enter__(self):
        return self  # the bar starts with the run, so an early error prints alone

    def __exit__(self, *exc):
        if self.preparing is not None:
            self.prep_progress.stop()
        if self.task is not None:  # a bar that never started would print an empty line
            self.progress.stop()

    def __call__(self, event: object) -> None:
        p, c = self.progress, self.console
        if isinstance(event, lm.Preparing):
            self._prepare(event)
        elif isinstance(event, lm.Started):
            if self.preparing is not None:
                self.prep_progress.stop()
                self.preparing = None
            resumed = f", resuming at step {event.resumed_at}" if event.resumed_at else ""
            cached = " (encoded text from cache)" if event.cache_hit else ""
            c.print(f"run folder {event.out_dir}{resumed}")
            if event.recipe:
                c.print(event.recipe)
            c.print(f"{event.parameters:,} parameters, vocabulary {event.vocab_size}, "
                    f"{event.train_tokens:,} training tokens{cached}")
            self.epochs = event.epochs or 10**9
            p.start()
            self.task = p.add_task("train", total=RESOLUTION, epoch=1, step=event.resumed_at,
                                   steps_total=event.total_steps if event.epochs else "?",
                                   loss=float("nan"), bpc="-", tps=0.0, slow="")
        elif isinstance(event, lm.Progress):
            p.update(self.task, completed=event.fraction * RESOLUTION, epoch=min(event.epoch + 1, self.epochs),
                     step=event.step, loss=event.loss, tps=event.tokens_per_s, slow=_slow(event.pace))
        elif isinstance(event, lm.Evaluated):
            v = event.val
            p.update(self.task, bpc=f"{v.bpc:.3f}")
            mark = "  [green]best[/]" if event.best else ""
            c.print(f"step {event.step:>6}  val loss {v.loss:.4f} nats  {v.bpc:.4f} bpc  "
                    f"ppl {v.perplexity:.2f}{mark}")
        elif isinstance(event, lm.Sampled):
            sample = " ".join(event.text.split())[:150]
            c.print(Text(f"  sample: {sample}", style="dim"))

    def _prepare(self, event) -> None:
        """One bar per stage (reading a file, encoding a split); a small corpus flashes by."""
        bars = self.prep_progress
        if self.preparing is None:
            bars.start()
            self.preparing = {}
        unit = "MB" if event.what.startswith("reading") else "M characters"
        if event.what not in self.preparing:
            self.preparing[event.what] = bars.add_task(event.what, total=event.total, unit=unit,
                                                       done=0.0, of=0.0)
        bars.update(self.preparing[event.what], completed=event.done, total=event.total,
                    done=event.done / 1e6, of=event.total / 1e6)


def _slow(pace: float) -> str:
    """A warning in the progress line while the run goes at under half its own best pace."""
    if pace >= lm.SLOW_PACE:
        return ""
    return (f" [yellow]now {pace:.0%} of its best: is other work running? "
            "(--threads 1 holds up better)[/]")
