"""A curve of (step, value) points in bounded memory: a long run's hundred thousand steps keep
at most `most` points, each the mean over an equal span of steps (the older halves merged
pairwise as it grows), so the chart and memory stay the same size while the shape stays true.
"""

from __future__ import annotations


class Series:
    def __init__(self, most: int = 400):
        self.most = most
        self.steps: list[float] = []
        self.values: list[float] = []
        self.span = 1  # raw points per kept point
        self._pending: list[tuple[float, float]] = []

    def add(self, step: float, value: float) -> None:
        self._pending.append((step, value))
        if len(self._pending) < self.span:
            return
        n = len(self._pending)
        self.steps.append(sum(s for s, _ in self._pending) / n)
        self.values.append(sum(v for _, v in self._pending) / n)
        self._pending = []
        if len(self.steps) >= self.most:
            self.steps = _pairs(self.steps)
            self.values = _pairs(self.values)
            self.span *= 2

    def points(self) -> tuple[list[float], list[float]]:
        """The kept points, and the partial span at the end (so the newest step shows)."""
        if not self._pending:
            return self.steps, self.values
        n = len(self._pending)
        return (self.steps + [sum(s for s, _ in self._pending) / n],
                self.values + [sum(v for _, v in self._pending) / n])

    def drop_after(self, step: float) -> None:
        """Forget what lies past `step` (a resumed run went back to it)."""
        keep = sum(1 for s in self.steps if s <= step)
        self.steps, self.values = self.steps[:keep], self.values[:keep]
        self._pending = [(s, v) for s, v in self._pending if s <= step]

    def __len__(self) -> int:
        return len(self.steps) + bool(self._pending)


def _pairs(xs: list[float]) -> list[float]:
    out = [(xs[i] + xs[i + 1]) / 2 for i in range(0, len(xs) - 1, 2)]
    return out + ([xs[-1]] if len(xs) % 2 else [])
