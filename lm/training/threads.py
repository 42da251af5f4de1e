"""How many threads to train with, chosen by measuring, because the answer depends on what else
the machine is doing: on an idle machine every core is fastest; with another busy process, threads
wait on each other at every operation and one thread is faster (benchmarks/bench_threads.py).

The chooser watches the run's own progress events: it times a few seconds on one thread, then a
few on all cores, keeps the faster, and measures again every few minutes or as soon as the pace
collapses. One thread goes first: on a busy machine all cores can crawl at a few hundred tokens/s,
and a one-minute run must not spend its first seconds (and its estimate of what the final
validation costs) at that pace.
It only decides; the entry point applies it (torch's threads are process-wide). The run's other
events (validation, saving) are left out of every timing.
"""

from __future__ import annotations

from .events import Progress
from .pace import SLOW_PACE

PROBE_SECONDS = 6.0  # each side of a comparison
EVERY_SECONDS = 300.0  # between comparisons: load comes and goes
MARGIN = 1.1  # all cores must win by this much to be kept: one thread leaves a core free


class ThreadChooser:
    def __init__(self, cores: int, probe: float = PROBE_SECONDS, every: float = EVERY_SECONDS):
        self.cores = cores
        self.probe, self.every = probe, every
        self.order = (1, cores)  # timed in this order; the entry point starts the run on the first
        self.trying = 1 if cores > 1 else 0  # the count being timed; 0: settled
        self.rates: dict[int, float] = {}  # threads -> steps per second (a step's size is fixed)
        self.chosen = 1 if cores > 1 else cores
        self.next_check = 0.0
        self._start: tuple[float, int] | None = None  # (elapsed, step) where the timing began

    def interrupt(self) -> None:
        """The run did something else (validated, saved): time again from the next step."""
        self._start = None

    def observe(self, event: Progress) -> int | None:
        """A new thread count to use from now on, or None to keep the current one."""
        if self.cores == 1:
            return None
        if self._start is None:
            self._start = (event.elapsed, event.step)
            return None
        if not self.trying:
            if event.elapsed >= self.next_check or event.pace < SLOW_PACE:
                return self._begin(self.order[0], event)
            return None
        seconds = event.elapsed - self._start[0]
        if seconds < self.probe:
            return None
        self.rates[self.trying] = (event.step - self._start[1]) / seconds
        if self.trying == self.order[0]:
            return self._begin(self.order[1], event)
        all_cores, one = self.rates[self.cores], self.rates[1]
        self.chosen = self.cores if all_cores > MARGIN * one else 1
        self.trying, self.next_check = 0, event.elapsed + self.every
        self._start = (event.elapsed, event.step)
        return self.chosen if self.chosen != self.order[1] else None

    def _begin(self, threads: int, event: Progress) -> int:
        self.trying = threads
        self._start = (event.elapsed, event.step)
        return threads
