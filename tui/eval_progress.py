"""`rnn-tui eval`'s progress on stderr: one line per part as it runs, so the minute the loss
takes is never silent. The loss part has no count to show (lm measures a split in one call), so
its bar pulses with the time spent; the quiz's bar counts items."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                           TimeElapsedColumn)


@contextmanager
def eval_progress(console: Console) -> Iterator[tuple[Callable[[str], None],
                                                      Callable[[int, int], None]]]:
    """(on_stage, on_item) for LanguageModel.evaluate, drawing on `console` (nothing when it is
    not a terminal). Finished parts stay on screen, each with the time it took."""
    progress = Progress(SpinnerColumn(finished_text="✓"), TextColumn("{task.description}"),
                        BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=console, disable=not console.is_terminal)
    current: list[int] = []

    def on_stage(stage: str) -> None:
        if current:  # the part before is done
            task = progress.tasks[current[-1]]
            progress.update(current[-1], total=task.total or 1, completed=task.total or 1)
        current.append(progress.add_task(stage, total=None))

    def on_item(done: int, total: int) -> None:
        progress.update(current[-1], completed=done, total=total)

    with progress:
        yield on_stage, on_item
        if current:
            on_item(progress.tasks[current[-1]].total or 1, progress.tasks[current[-1]].total or 1)
