"""rnn-tui's language-model core: recurrent cells (tanh RNN, LSTM, GRU), tokenizers, training,
checkpoints, generation, sessions, blanks and the quiz. Torch and sentencepiece only: no UI code
here.

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
    "list_runs": ".runs", "models_dir": ".runs", "data_dir": ".runs",
    "QuizItem": ".quiz", "Round": ".quiz", "CATEGORIES": ".quiz",
    "evaluate": ".scorecard",
    "history_path": ".history", "save_round": ".history", "best_and_last": ".history",
    "Candidate": ".session", "Session": ".session",
    "pick": ".sampling", "stream": ".sampling",
    "CharTokenizer": ".tokenizers", "SentencePieceTokenizer": ".tokenizers",
    "Tokenizer": ".tokenizers",
    **dict.fromkeys(["Evaluated", "Progress", "Sampled", "Saved", "Started", "TrainConfig",
                     "TrainResult", "train"], ".training"),
}

__all__ = sorted(_EXPORTS)


# Submodules used by name, as in `lm.quiz.items(...)`.
_SUBMODULES = {"quiz"}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name not in _EXPORTS:
        raise AttributeError(f"module 'lm' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value  # next time, a plain lookup
    return value


def __dir__() -> list[str]:
    return __all__ + sorted(_SUBMODULES)


if TYPE_CHECKING:
    from .blank_marks import find_blanks
    from .checkpoint import Checkpoint
    from .data import Corpus, load_corpus, parse_split
    from .errors import CheckpointError, CorpusError, LMError
    from .language_model import LanguageModel, NoShippedModel, load, shipped_model_path
    from .metrics import Metrics, evaluate_ids
    from .model import CELLS, RNNLM, ModelConfig
    from .history import best_and_last, history_path, save_round
    from .quiz import CATEGORIES, QuizItem, Round
    from .runs import data_dir, list_runs, models_dir
    from .scorecard import evaluate
    from .sampling import pick, stream
    from .session import Candidate, Session
    from .tokenizers import CharTokenizer, SentencePieceTokenizer, Tokenizer
    from .training import (Evaluated, Progress, Sampled, Saved, Started, TrainConfig, TrainResult,
                        train)
