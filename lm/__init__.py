"""rnn-tui's language-model core: recurrent cells (tanh RNN, LSTM, GRU), tokenizers, training,
checkpoints and generation. Torch and sentencepiece only: no UI code lives here."""

from .blanks import find_blanks
from .checkpoint import Checkpoint
from .data import Corpus, load_corpus, parse_split
from .errors import CheckpointError, CorpusError, LMError
from .language_model import LanguageModel, NoShippedModel, load, shipped_model_path
from .metrics import Metrics, evaluate_ids
from .model import CELLS, ModelConfig, RNNLM
from .runs import list_runs, models_dir
from .session import Candidate, Session
from .sampling import pick, stream
from .tokenizers import CharTokenizer, SentencePieceTokenizer, Tokenizer
from .train import (
    Evaluated,
    Progress,
    Sampled,
    Saved,
    Started,
    TrainConfig,
    TrainResult,
    train,
)

__all__ = [
    "CELLS", "Candidate", "Checkpoint", "CheckpointError", "CharTokenizer", "Corpus", "CorpusError",
    "Evaluated", "LMError", "LanguageModel", "Metrics", "ModelConfig", "NoShippedModel",
    "Progress", "RNNLM", "Sampled", "Saved", "SentencePieceTokenizer", "Session", "Started", "Tokenizer",
    "TrainConfig", "TrainResult", "evaluate_ids", "find_blanks", "list_runs", "load", "load_corpus",
    "models_dir", "parse_split", "pick", "shipped_model_path", "stream", "train",
]
