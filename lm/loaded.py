"""What the layers under the facade ask of a loaded model, as a Protocol: the quiz and the
scorecard take a LanguageModel (lm.language_model) without importing it, so the facade can use
them with no import circle."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from .candidate import Candidate
from .infer.engine import Engine
from .infer.score import SentenceScore
from .metrics import Metrics
from .model import RNNLM
from .ngram import NGram
from .tokenizers import Tokenizer


class LoadedModel(Protocol):
    name: str
    path: Path
    meta: dict
    net: RNNLM
    tokenizer: Tokenizer

    @property
    def engine(self) -> Engine: ...

    def fill(self, text: str, k: int = 5, *, left_only: bool = False) -> list[list[Candidate]]: ...

    def logprob(self, text: str) -> SentenceScore: ...

    def ngram(self, order: int = 5) -> NGram: ...

    def loss_on(self, corpus=None, split: str = "val") -> Metrics: ...
