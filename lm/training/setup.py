"""How a run is set up before its first step: its folder, its corpus, tokenizer and encoded ids,
and its model. Under torchrun rank 0 does the work that must happen once (picking the folder,
training the tokenizer, filling the cache) and shares the result with the other ranks."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..corpus_stream import CorpusText, open_corpus
from ..data import encode_splits
from ..errors import CorpusError, LMError
from ..model import ModelConfig
from ..run_card import read_card
from ..runs import list_runs, new_run_dir
from ..tokenizers import CharTokenizer, SentencePieceTokenizer, Tokenizer, from_bytes
from .config import TrainConfig
from .distributed import FollowsMain, Ranks
from .events import Preparing


def model_config(config: TrainConfig, vocab_size: int) -> ModelConfig:
    return ModelConfig(vocab_size=vocab_size, cell=config.cell, embed=config.embed,
                       hidden=config.hidden, layers=config.layers, dropout=config.dropout,
                       tie_weights=config.tie_weights)


def build_tokenizer(config: TrainConfig, corpus: CorpusText) -> Tokenizer:
    """From the training split, streamed."""
    def train_text():
        return corpus.pieces("train", config.split)

    if config.tokenizer == "char":
        return CharTokenizer.train(train_text())
    lines = sum(p.lines for p in corpus.parts) * config.split[0]
    return SentencePieceTokenizer.train(train_text, config.vocab_size, config.sp_type,
                                        lines_hint=int(lines))


# What a run writes in its folder: a new run may start only where nothing else is.
RUN_FILES = {"run.lock", "run.json", "history.jsonl", "best.pt", "last.pt"}


def run_folder(config: TrainConfig) -> Path:
    if not config.resume:
        if not config.out:
            return new_run_dir(f"{config.cell}-{config.tokenizer}")
        out = Path(config.out)
        _check_not_foreign(out)
        return out
    out = Path(config.out) if config.out else latest_run()
    if not (out / "last.pt").is_file():
        raise LMError(f"--resume: {out} holds no run to continue (no last.pt)" + (
            "; it has best.pt only, as a run that stopped before its first full save: "
            "start again with another --out" if (out / "best.pt").is_file() else ""))
    return out


def _check_not_foreign(out: Path) -> None:
    """--out may name a new folder, an empty one or a run's: never one holding the user's own
    files, which a run would write beside or over."""
    if out.exists() and not out.is_dir():
        raise LMError(f"--out {out} is a file, not a folder")
    if not out.is_dir():
        return
    foreign = sorted(p.name for p in out.iterdir()
                     if p.name not in RUN_FILES and not p.name.startswith("."))
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise LMError(f"--out {out} holds files that are not a training run's ({shown}): "
                      "pick an empty or a new folder")
    if (out / "run.json").exists() and read_card(out) is None:
        raise LMError(f"--out {out}: its run.json is not an rnn-tui run card: pick another folder")


def on_main(ranks: Ranks, work: Callable[[], object]):
    """work() on rank 0, its result shared with every rank; an error there is raised on all."""
    if ranks.world == 1:
        return work()
    result, error = None, None
    if ranks.main:
        try:
            result = work()
        except LMError as e:
            error = e
    result, message = ranks.share((result, str(error) if error else None))
    if error is not None:
        raise error
    if message is not None:
        raise FollowsMain(message)
    return result


def prepare(config: TrainConfig, ranks: Ranks, on_event, tokenizer: Tokenizer | None = None):
    """The corpus, its tokenizer and the encoded ids. Rank 0 reads the text, trains the
    tokenizer and fills the cache first; the other ranks then open the cache."""
    emit = on_event if (on_event and ranks.main) else None

    def progress(what: str, done: int, total: int) -> None:
        if emit:
            emit(Preparing(what, done, total))

    def build(tok: Tokenizer | None):
        corpus = open_corpus(config.corpus, progress)
        tok = tok or build_tokenizer(config, corpus)
        ids, hit = encode_splits(corpus, config.split, tok, progress)
        if len(ids["val"]) < 2:
            raise CorpusError("the validation split is empty: give more text or a larger val fraction")
        return corpus, tok, ids, hit

    if ranks.world == 1:
        return build(tokenizer)
    built = None

    def build_on_main():
        nonlocal built
        built = build(tokenizer)
        return built[1].kind, built[1].to_bytes()

    kind, data = on_main(ranks, build_on_main)
    return built if ranks.main else build(from_bytes(kind, data))


def latest_run() -> Path:
    runs = [r for r in list_runs() if (r / "last.pt").is_file()]
    if not runs:
        raise LMError("--resume: no earlier run found; pass --out DIR of the run to continue")
    return runs[0]
