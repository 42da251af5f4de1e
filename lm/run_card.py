"""What a run is, in one small file beside its checkpoints (run.json): cell, size, tokenizer,
corpus, best validation, steps, when it was saved. Torch-free, so listing many runs (the app's
model switcher, `rnn-tui models`) reads a few hundred bytes per run, not a checkpoint each.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from .atomic import atomic_write
from .numbers import finite, whole

NAME = "run.json"


@dataclass(frozen=True)
class RunCard:
    name: str
    cell: str
    layers: int
    hidden: int
    tokenizer: str
    parameters: int
    corpus: tuple[str, ...]  # as asked for: bundled names or paths
    best_bpc: float | None
    steps: int | None
    saved: float  # unix time of the last save

    def __post_init__(self):
        # A run.json is a user's file: damage in it must not reach a table or a sort as a crash.
        ok = (all(isinstance(getattr(self, f), str) for f in ("name", "cell", "tokenizer"))
              and all(whole(v) and v >= 0 for v in (self.layers, self.hidden, self.parameters))
              and isinstance(self.corpus, tuple) and all(isinstance(c, str) for c in self.corpus)
              and (self.best_bpc is None or (finite(self.best_bpc) and self.best_bpc >= 0))
              and (self.steps is None or (whole(self.steps) and self.steps >= 0))
              and finite(self.saved) and 0 <= self.saved < 1e11)
        if not ok:
            raise ValueError("a run card with a field of the wrong type or out of range")

    @property
    def size(self) -> str:
        return f"{self.layers}x{self.hidden}"

    @property
    def corpus_label(self) -> str:
        return "+".join(Path(c).name for c in self.corpus) or "-"

    @property
    def date(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved))

    @property
    def best(self) -> str:
        return f"{self.best_bpc:.3f}" if self.best_bpc is not None else "-"

    def summary(self) -> str:
        """One line: what the model switcher shows under a run's name."""
        return (f"{self.cell} {self.size} · {self.corpus_label} · best {self.best} bpc · "
                f"{self.date}")


def card(name: str, model_config: dict, tokenizer: str, parameters: int, meta: dict,
         saved: float) -> RunCard:
    """A card from a checkpoint's parts (its model config as a dict, and its metadata)."""
    best = meta.get("best_val") if isinstance(meta.get("best_val"), dict) else {}
    corpus = (meta.get("corpus") or {}).get("names") if isinstance(meta.get("corpus"), dict) else None
    corpus = corpus or (meta.get("train_config") or {}).get("corpus") or []
    return RunCard(name=name, cell=model_config["cell"], layers=model_config["layers"],
                   hidden=model_config["hidden"], tokenizer=tokenizer, parameters=parameters,
                   corpus=tuple(corpus), best_bpc=best.get("bpc"), steps=meta.get("steps"),
                   saved=saved)


def write(folder: Path, run: RunCard) -> None:
    data = json.dumps(asdict(run), indent=1).encode()
    atomic_write(Path(folder) / NAME, lambda f: f.write(data))


def read_card(path: str | Path) -> RunCard | None:
    """The card of a run folder (or of the folder a best.pt/last.pt sits in); None for a run
    saved before cards were written, or an unreadable one."""
    path = Path(path)
    if path.is_file() and path.name not in ("best.pt", "last.pt"):
        return None  # a lone checkpoint file: no run folder around it
    folder = path if path.is_dir() else path.parent
    try:
        data = json.loads((folder / NAME).read_text(encoding="utf-8"))
        data["corpus"] = tuple(data["corpus"]) if isinstance(data["corpus"], list) else None
        return RunCard(**data)
    except (OSError, ValueError, TypeError, KeyError):
        return None
