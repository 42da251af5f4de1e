"""A loaded model: the network, its tokenizer and what is known about how it was trained."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Iterator, Sequence

import torch

from . import checkpoint
from .data import encode_splits, load_corpus
from .errors import LMError
from .metrics import Metrics, evaluate_ids
from .model import RNNLM
from .fast import FastRNN
from .session import Session
from .tokenizers import Tokenizer


class NoShippedModel(LMError):
    """No model ships with this install yet."""


def shipped_model_path() -> Path:
    return Path(str(resources.files("lm").joinpath("shipped", "default.pt")))


@dataclass
class LanguageModel:
    net: RNNLM
    tokenizer: Tokenizer
    path: Path
    meta: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.parent.name if self.path.name in ("best.pt", "last.pt") else self.path.stem

    @property
    def cell(self) -> str:
        return self.net.config.cell

    @cached_property
    def fast(self) -> FastRNN:
        """The per-token inference path over the same weights."""
        return FastRNN(self.net, banned=self.tokenizer.special_ids)

    @cached_property
    def pieces(self) -> list[str]:
        """The text of every token id on its own."""
        return [self.tokenizer.decode([i]) for i in range(self.tokenizer.vocab_size)]

    @cached_property
    def banned_ids(self) -> torch.Tensor:
        """Unknown and control ids: never proposed, never sampled."""
        return torch.tensor(self.tokenizer.special_ids, dtype=torch.long)

    def session(self, text: str = "") -> Session:
        """The hidden state over a text you are typing: feed(), backspace(), next_words()..."""
        return Session(self, text)

    def fill(self, text: str, k: int = 5, *, left_only: bool = False, candidates: int = 64):
        """Candidates for the blank in `text` (___, (BOX) or [BOX]), best first, each as
        {"token_str", "score", "sequence"}. Several blanks: one such list per blank."""
        from .blanks import fill

        return fill(self, text, k=k, left_only=left_only, candidates=candidates)

    def describe(self) -> str:
        c = self.net.config
        return (f"{self.name}: {c.cell} {c.layers}x{c.hidden}, {self.tokenizer.kind} tokenizer "
                f"({self.tokenizer.vocab_size} ids), {self.net.num_parameters():,} parameters")

    def generate(
        self,
        prompt: str,
        *,
        max_tokens: int = 200,
        temperature: float = 0.8,
        top_k: int = 0,
        top_p: float = 1.0,
        seed: int | None = None,
        stop: Sequence[str] = (),
    ) -> Iterator[str]:
        """Stream the continuation of `prompt`, piece by piece, as the model writes it."""
        return self.session(prompt).stream(max_tokens=max_tokens, temperature=temperature,
                                           top_k=top_k, top_p=top_p, seed=seed, stop=stop)


    def evaluate(self, corpus: str | Sequence[str] | None = None, split: str = "val") -> Metrics:
        """Loss and bits per character on a split of a corpus (by default: the one it trained on,
        cut the way it was cut for training)."""
        config = self.meta.get("train_config", {})
        corpus = corpus or config.get("corpus") or ("default",)
        fractions = tuple(config.get("split") or (0.9, 0.05, 0.05))
        ids, _ = encode_splits(load_corpus(corpus), fractions, self.tokenizer)
        if len(ids[split]) < 2:
            raise LMError(f"the {split} split of {corpus} is empty")
        return evaluate_ids(self.net, self.tokenizer, ids[split])


def load(path: str | Path | None = None, *, threads: int | None = 1) -> LanguageModel:
    """Load a checkpoint (a file, or a run folder holding best.pt); None loads the shipped model.

    `threads` sets torch's CPU threads for the process (None leaves them): token-at-a-time
    inference multiplies tiny matrices, where a second thread costs more in hand-offs than it
    saves, and stalls for milliseconds per op when another process holds the other core.
    """
    if threads is not None:
        torch.set_num_threads(threads)
    if path is None:
        path = shipped_model_path()
        if not path.is_file():
            raise NoShippedModel("no model ships with this install yet")
    path = Path(path)
    if path.is_dir():
        path = path / "best.pt" if (path / "best.pt").is_file() else path / "last.pt"
    ckpt = checkpoint.load(path)
    return LanguageModel(ckpt.model, ckpt.tokenizer, path, ckpt.meta)
