"""A round of the quiz: your answers against the model's, score, streaks and categories."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from .sources import CATEGORIES, QuizItem


@dataclass
class Answer:
    item: QuizItem
    guess: str | None  # None: skipped

    @property
    def right(self) -> bool:
        return self.guess is not None and self.item.accepts(self.guess)


@dataclass
class Round:
    """A quiz in play. Items must be rated (the model answers every one of them, skipped or not)."""

    items: list[QuizItem]
    answers: list[Answer] = field(default_factory=list)

    @property
    def current(self) -> QuizItem | None:
        return self.items[len(self.answers)] if not self.done else None

    @property
    def done(self) -> bool:
        return len(self.answers) >= len(self.items)

    def answer(self, guess: str | None, rated: QuizItem | None = None) -> Answer:
        """Record your guess (None skips) for the current item, rated by the model if given."""
        item = rated or self.current
        self.items[len(self.answers)] = item
        given = Answer(item, guess)
        self.answers.append(given)
        return given

    @property
    def you(self) -> int:
        return sum(a.right for a in self.answers)

    @property
    def model(self) -> int:
        return sum(a.item.model_right for a in self.answers)

    @property
    def streak(self) -> int:
        return _streaks(self.answers)[0]

    @property
    def best_streak(self) -> int:
        return _streaks(self.answers)[1]

    def by_category(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for a in self.answers:
            row = out.setdefault(a.item.category, {"items": 0, "you": 0, "model": 0})
            row["items"] += 1
            row["you"] += a.right
            row["model"] += a.item.model_right
        return dict(sorted(out.items(), key=lambda kv: CATEGORIES.index(kv[0])
                           if kv[0] in CATEGORIES else len(CATEGORIES)))

    def record(self, corpus: Iterable[str], model_name: str, seed: int) -> dict:
        """What the history keeps of a finished round."""
        return {"corpus": "+".join(corpus), "model": model_name, "seed": seed,
                "items": len(self.answers), "you": self.you, "model_score": self.model,
                "best_streak": self.best_streak, "by_category": self.by_category()}


def _streaks(answers: list[Answer]) -> tuple[int, int]:
    current = best = 0
    for a in answers:
        current = current + 1 if a.right else 0
        best = max(best, current)
    return current, best
