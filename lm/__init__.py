"""rnn-tui's language-model core: recurrent cells (tanh RNN, LSTM, GRU), tokenizers, training,
checkpoints, inference sessions, blanks and the quiz. Torch and sentencepiece only: no UI code.

Layers, each importing only from below:

    defaults, errors, corpus, corpus_stream, runs, run_card,           plain data, no torch
    trained_on,
    sampling, candidate, blank_marks
    cells < model < tokenizers, data, metrics, checkpoint              the network and its files
    training/                                                          Trainer, RunState, events
    infer/   engine < session < words < blanks                         the per-token path
    quiz/    items < round, history, scorecard                         what goes in the box?
    language_model                                                     the facade: load(), ...
    inspect/ trace, features, saturation, gradient, probe, unroll      what the learning views measure

Names load on first use (PEP 562), so `import lm` is cheap: the app can draw its first frame
before torch is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# No exported name may equal a submodule's name: importing the submodule would shadow it.
_EXPORTS = {
    "find_blanks": ".blank_marks",
    "Candidate": ".candidate",
    "CELLS": ".cells", "CellSpec": ".cells",
    "Checkpoint": ".checkpoint",
    "Corpus": ".corpus", "load_corpus": ".corpus", "parse_split": ".corpus",
    "decode_text": ".corpus", "CorpusText": ".corpus_stream", "open_corpus": ".corpus_stream",
    "CELL_NAMES": ".defaults", "TOKENIZER_KINDS": ".defaults",
    "CheckpointError": ".errors", "CorpusError": ".errors", "LMError": ".errors",
    "available_cores": ".hardware", "set_threads": ".hardware", "get_threads": ".hardware",
    "LanguageModel": ".language_model", "NoShippedModel": ".language_model", "load": ".language_model",
    "Metrics": ".metrics", "measure": ".metrics",
    "ModelConfig": ".model", "RNNLM": ".model",
    "QuizItem": ".quiz", "Round": ".quiz", "CATEGORIES": ".quiz",
    "history_path": ".quiz.history", "save_round": ".quiz.history",
    "best_and_last": ".quiz.history",
    "data_dir": ".runs", "list_runs": ".runs", "models_dir": ".runs",
    "shipped_model_path": ".runs",
    "RunCard": ".run_card", "read_card": ".run_card", "TrainedOn": ".trained_on",
    "Sampling": ".sampling", "MAX_TEMPERATURE": ".sampling",
    "LONGEST_WORD": ".infer.words",
    "Session": ".infer.session", "word_prefix": ".infer.session", "SentenceScore": ".infer.score",
    "NextToken": ".infer.distribution", "TokenShare": ".infer.distribution",
    "blank_shares": ".infer.distribution",
    "CharTokenizer": ".tokenizers", "SentencePieceTokenizer": ".tokenizers",
    "Tokenizer": ".tokenizers",
    "TrainConfig": ".training.config",
    **dict.fromkeys(["Evaluated", "Preparing", "Progress", "Sampled", "Saved", "Started", "TrainResult",
                     "SCHEMA_VERSION", "to_json", "failure_json"], ".training.events"),
    "read_history": ".training.history",
    "SLOW_PACE": ".training.pace", "ThreadChooser": ".training.threads",
    "RunState": ".training.state",
    "FollowsMain": ".training.distributed", "PeerLost": ".training.distributed",
    "Trainer": ".training.trainer", "train": ".training.trainer",
}

__all__ = sorted(_EXPORTS)

# Submodules used by name, as in `lm.quiz.items(...)`.
_SUBMODULES = {"quiz", "inspect"}


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
    from .candidate import Candidate
    from .cells import CELLS, CellSpec
    from .checkpoint import Checkpoint
    from .corpus import Corpus, decode_text, load_corpus, parse_split
    from .corpus_stream import CorpusText, open_corpus
    from .defaults import CELL_NAMES, TOKENIZER_KINDS
    from .errors import CheckpointError, CorpusError, LMError
    from .hardware import available_cores, get_threads, set_threads
    from .infer.distribution import NextToken, TokenShare, blank_shares
    from .infer.score import SentenceScore
    from .infer.words import LONGEST_WORD
    from .infer.session import Session, word_prefix
    from .language_model import LanguageModel, NoShippedModel, load
    from .metrics import Metrics, measure
    from .model import RNNLM, ModelConfig
    from .quiz import CATEGORIES, QuizItem, Round
    from .quiz.history import best_and_last, history_path, save_round
    from .run_card import RunCard, read_card
    from .trained_on import TrainedOn
    from .runs import data_dir, list_runs, models_dir, shipped_model_path
    from .sampling import MAX_TEMPERATURE, Sampling
    from .tokenizers import CharTokenizer, SentencePieceTokenizer, Tokenizer
    from .training.config import TrainConfig
    from .training.events import (SCHEMA_VERSION, Evaluated, Preparing, Progress, Sampled, Saved,
                                  Started, TrainResult, failure_json, to_json)
    from .training.distributed import FollowsMain, PeerLost
    from .training.history import read_history
    from .training.pace import SLOW_PACE
    from .training.threads import ThreadChooser
    from .training.state import RunState
    from .training.trainer import Trainer, train
