"""How fast a run goes now against its own best: the warning for a machine that got busy.

Training on every core is fastest on an idle machine and collapses when another process takes a
core (threads wait on each other at every operation). The run measures its tokens/s over windows
of a few seconds; a window far below the run's best one is reported, so the user sees why (and
the entry point may move to fewer threads: the best is kept per thread count, so the new count is
judged against itself).
"""

from __future__ import annotations

WINDOW_SECONDS = 10.0
SLOW_PACE = 0.5  # a window under this fraction of the best one is a collapse


class Pace:
    def __init__(self, window: float = WINDOW_SECONDS):
        self.window = window
        self.tokens, self.seconds, self.threads = 0, 0.0, 0
        self.bests: dict[int, float] = {}  # threads -> tokens/s of the best whole window
        self.latest = 0.0

    def add(self, tokens: int, seconds: float, threads: int = 1) -> None:
        if threads != self.threads:  # a new thread count starts a new window
            self.tokens, self.seconds, self.threads, self.latest = 0, 0.0, threads, 0.0
        self.tokens += tokens
        self.seconds += seconds
        if self.seconds >= self.window:
            self.latest = self.tokens / self.seconds
            self.bests[threads] = max(self.bests.get(threads, 0.0), self.latest)
            self.tokens, self.seconds = 0, 0.0

    @property
    def best(self) -> float:
        return self.bests.get(self.threads, 0.0)

    @property
    def share(self) -> float:
        """The latest window's tokens/s as a share of the best (1.0 until two windows)."""
        return self.latest / self.best if self.best else 1.0

    @property
    def slow(self) -> bool:
        return self.share < SLOW_PACE
