"""A loaded model: the network, its tokenizer and what is known about how it was trained."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterator, Sequence

from . import checkpoint
from .errors import LMError
from .model import RNNLM
from .sampling import stream
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
        return stream(self.net, self.tokenizer, prompt, max_tokens=max_tokens,
                      temperature=temperature, top_k=top_k, top_p=top_p, seed=seed, stop=stop)


def load(path: str | Path | None = None) -> LanguageModel:
    """Load a checkpoint (a file, or a run folder holding best.pt); None loads the shipped model."""
    if path is None:
        path = shipped_model_path()
        if not path.is_file():
            raise NoShippedModel("no model ships with this install yet")
    path = Path(path)
    if path.is_dir():
        path = path / "best.pt" if (path / "best.pt").is_file() else path / "last.pt"
    ckpt = checkpoint.load(path)
    return LanguageModel(ckpt.model, ckpt.tokenizer, path, ckpt.meta)
