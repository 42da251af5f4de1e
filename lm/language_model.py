"""The facade: a loaded model, its tokenizer and what is known about how it was trained, with
everything the app and the CLI ask of it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterator, Sequence

from . import checkpoint, run_card
from .candidate import Candidate
from .corpus_stream import open_corpus
from .counting import ORDER, ngram_for
from .data import encode_splits
from .errors import LMError
from .hardware import inference_threads
from .infer import blanks
from .infer.engine import Engine
from .infer.lexicon import Lexicon, lexicon_for
from .infer.score import SentenceScore, score
from .infer.session import Session
from .infer.words import next_words
from .metrics import Metrics, measure
from .model import RNNLM
from .ngram import NGram
from .quiz.scorecard import scorecard
from .run_card import RunCard
from .runs import shipped_model_path
from .sampling import Sampling
from .tokenizers import Tokenizer
from .trained_on import TrainedOn


class NoShippedModel(LMError):
    """No model ships with this install yet."""


@dataclass
class LanguageModel:
    net: RNNLM
    tokenizer: Tokenizer
    path: Path
    meta: dict = field(default_factory=dict)
    _ngrams: dict = field(default_factory=dict, repr=False, compare=False)  # order -> NGram

    @property
    def name(self) -> str:
        return self.path.parent.name if self.path.name in ("best.pt", "last.pt") else self.path.stem

    @property
    def cell(self) -> str:
        return self.net.config.cell

    @property
    def trained_on(self) -> TrainedOn:
        """Its corpus, split and BPTT window, as its checkpoint records them."""
        return TrainedOn.of(self.meta)

    @property
    def threads(self) -> int | None:
        """Torch threads for token-at-a-time work (sessions, fill, next_words, logprob,
        generation): 1 unless set (None: whatever the process is set to); see lm.hardware."""
        return self.engine.threads

    @threads.setter
    def threads(self, n: int | None) -> None:
        self.engine.threads = n

    @cached_property
    def engine(self) -> Engine:
        """The per-token path over the same weights."""
        return Engine(self.net, self.tokenizer)

    @cached_property
    def lexicon(self) -> Lexicon | None:
        """The words of its training text: candidates are kept to these (None: text not found)."""
        return lexicon_for(self.meta)

    def session(self, text: str = "") -> Session:
        """The hidden state over a text you are typing: feed(), backspace(), stream()..."""
        return Session(self.engine, text)

    @inference_threads
    def next_words(self, text: str | Session, k: int = 5) -> list[Candidate]:
        """The k likeliest real words (see `lexicon`) to complete the word being typed at the end
        of the text; fewer if the model spells fewer."""
        return next_words(text if isinstance(text, Session) else self.session(text), k,
                          known=self.lexicon)

    @inference_threads
    def fill(self, text: str, k: int = 5, *, left_only: bool = False) -> list[list[Candidate]]:
        """Candidates for each blank in `text` (___, (BOX) or [BOX]), best first: one list per
        blank, each candidate with the whole sentence it makes (`sequence`); real words only
        (see `lexicon`)."""
        return blanks.fill(self.engine, text, k=k, left_only=left_only, known=self.lexicon,
                           memo=self._beams)

    def ngram(self, order: int = ORDER) -> NGram:
        """The word n-gram counted from this model's own training text (its corpus and split):
        the counting baseline every figure is set beside. Cached after the first count."""
        if order not in self._ngrams:
            trained = self.trained_on
            self._ngrams[order] = ngram_for(trained.corpus, trained.split, order)
        return self._ngrams[order]

    @inference_threads
    def logprob(self, text: str) -> SentenceScore:
        """How likely the model finds `text`: its log-probability (nats), bits per character and
        every token's surprisal, read from the model's start state."""
        return score(self.engine, text)

    @cached_property
    def _beams(self) -> blanks.BeamMemo:
        return blanks.BeamMemo()

    def generate(self, prompt: str, sampling: Sampling = Sampling()) -> Iterator[str]:
        """Stream the continuation of `prompt`, piece by piece, as the model writes it."""
        return self.session(prompt).stream(sampling)

    @property
    def card(self) -> RunCard:
        """What this model is, as `rnn-tui models` lists it (from the checkpoint itself)."""
        return run_card.card(self.name, asdict(self.net.config), self.tokenizer.kind,
                             self.net.num_parameters(), self.meta, self.path.stat().st_mtime)

    def describe(self) -> str:
        c = self.net.config
        return (f"{self.name}: {c.cell} {c.layers}x{c.hidden}, {self.tokenizer.kind} tokenizer "
                f"({self.tokenizer.vocab_size} ids), {self.net.num_parameters():,} parameters")

    def loss_on(self, corpus: str | Sequence[str] | None = None, split: str = "val") -> Metrics:
        """Loss and bits per character on a split of a corpus (by default: the one it trained on,
        cut the way it was cut for training)."""
        trained = self.trained_on
        corpus = corpus or trained.corpus
        ids, _ = encode_splits(open_corpus(corpus), trained.split, self.tokenizer)
        if len(ids[split]) < 2:
            raise LMError(f"the {split} split of {corpus} is empty")
        return measure(self.net, self.tokenizer, ids[split])

    def evaluate(self, corpus: str | Sequence[str] | None = None, *, limit: int | None = None,
                 on_item: Callable[[int, int], None] | None = None,
                 on_stage: Callable[[str], None] | None = None) -> dict:
        """The whole scorecard `rnn-tui eval` prints: loss on val/test, then the quiz by category
        (`on_stage` hears each part start, `on_item` each quiz item done)."""
        return scorecard(self, corpus, limit=limit, on_item=on_item, on_stage=on_stage)


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
