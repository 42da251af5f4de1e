"""rnn-tui's language-model core: recurrent cells (tanh RNN, LSTM, GRU), tokenizers, training,
checkpoints, generation, sessions and blanks. Torch and sentencepiece only: no UI code here.

Names load on first use (PEP 562), so `import lm` is cheap: the app can draw its first frame
before torch is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# No exported name may equal a submodule's name: importing the submodule would shadow it.
_EXPORTS = {
    "find_blanks": ".blank_marks",
    "Checkpoint": ".checkpoint",
    "Corpus": ".data", "load_corpus": ".data", "parse_split": ".data",
    "CheckpointError": ".errors", "CorpusError": ".errors", "LMError": ".errors",
    "LanguageModel": ".language_model", "NoShippedModel": ".language_model",
    "load": ".language_model", "shipped_model_path": ".language_model",
    "Metrics": ".metrics", "evaluate_ids": ".metrics",
    "CELLS": ".model", "ModelConfig": ".model", "RNNLM": ".model",
    "list_runs": ".runs", "models_dir": ".runs",
    "Candidate": ".session", "Session": ".session",
    "pick": ".sampling", "stream": ".sampling",
    "CharTokenizer": ".tokenizers", "SentencePieceTokenizer": ".tokenizers",
    "Tokenizer": ".tokenizers",
    **dict.fromkeys(["Evaluated", "Progress", "Sampled", "Saved", "Started", "TrainConfig",
                     "TrainResult", "train"], ".training"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'lm' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value  # next time, a plain lookup
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from .blank_marks import find_blanks
    from .checkpoint import Checkpoint
    from .data import Corpus, load_corpus, parse_split
    from .errors import CheckpointError, CorpusError, LMError
    from .language_model import LanguageModel, NoShippedModel, load, shipped_model_path
    from .metrics import Metrics, evaluate_ids
    from .model import CELLS, RNNLM, ModelConfig
    from .runs import list_runs, models_dir
    from .sampling import pick, stream
    from .session import Candidate, Session
    from .tokenizers import CharTokenizer, SentencePieceTokenizer, Tokenizer
    from .training import (Evaluated, Progress, Sampled, Saved, Started, TrainConfig, TrainResult,
                        train)
