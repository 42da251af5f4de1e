"""Training by truncated backpropagation through time, readable top to bottom.

B parallel text streams are read in chunks of seq_len tokens; the hidden state is carried from
chunk to chunk and detached at each boundary. AdamW, gradient-norm clipping, warmup then cosine
decay to the end of the run (the step budget or the time budget, whichever comes first).

The Trainer owns the loop and a RunState; where the text comes from (Batches), what is written
to disk (Checkpoints), who listens (on_event) and which processes share the work (Ranks: one, or
several under torchrun) are collaborators. Process-wide torch settings (threads) belong to the
entry point that runs it.
"""

from __future__ import annotations

import math
import threading
import time
import warnings
from dataclasses import asdict, replace
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F

from .. import checkpoint, run_card
from ..cells import map_hidden
from ..checkpoint import Checkpoint
from ..corpus_stream import CorpusText
from ..data import Ids, Streams, spread_sample
from ..errors import LMError
from ..hardware import resolve_device, resolve_precision
from ..infer.engine import Engine, paragraph_start_state
from ..infer.session import Session
from ..metrics import measure
from ..model import RNNLM, detach
from ..sampling import Sampling
from ..tokenizers import Tokenizer
from . import distributed, history, recipe
from .config import DEFAULT_EPOCHS, RESUME_OVERRIDES, TrainConfig
from .distributed import PeerLost, Ranks, is_peer_failure, slice_rows
from .events import Evaluated, Progress, Sampled, Saved, Started, TrainResult
from .lock import RunLock
from .pace import Pace
from .setup import model_config, on_main, prepare, run_folder
from .state import RunState, to_device

UNBOUNDED_EPOCHS = 1_000_000  # a time budget ends the run first
FINISH_SAVE_SECONDS = 1.0  # saving best.pt and last.pt, before the first save is timed
VAL_TOKENS = 1 << 18  # validation reads at most this many tokens, spread over the split (the
# bundled corpus's whole val split is 202k)


class Diverged(LMError):
    """The loss or the gradient stopped being a finite number."""


class Batches:
    """The training split as B streams (this rank's rows of them), with the chunk boundaries
    moved each epoch."""

    def __init__(self, ids: Ids, config: TrainConfig, rows: slice = slice(None)):
        self.ids, self.config, self.rows = ids, config, rows

    def epoch(self, epoch: int) -> Streams:
        # A different start offset each epoch moves the chunk boundaries, so no position is
        # always the first of a chunk (where the carried state is weakest). Capped at a tenth of
        # a stream so a tiny text does not lose much of itself.
        c = self.config
        g = torch.Generator().manual_seed(c.seed * 1000 + epoch)
        span = max(1, min(c.seq_len, len(self.ids) // (10 * c.batch_size)))
        offset = int(torch.randint(span, (1,), generator=g))
        return Streams(self.ids, c.batch_size, c.seq_len, offset, self.rows)

    def total_steps(self, epochs: int) -> int:
        # Epoch lengths differ by at most one chunk (the start offset moves), so sample a few.
        sampled = min(epochs, 100)
        return sum(len(self.epoch(e)) for e in range(sampled)) * epochs // sampled


class Checkpoints:
    """best.pt (best validation) and last.pt (resumable) in the run folder."""

    def __init__(self, out: Path, tokenizer: Tokenizer, meta: dict, start_text: Ids):
        self.out, self.tokenizer, self.meta, self.start_text = out, tokenizer, meta, start_text
        nl = tokenizer.encode("\n")
        self.newline = nl[-1] if nl else 0

    def save(self, name: str, model: RNNLM, state: RunState, resumable: bool) -> Path:
        # Where a new text starts: the state at a line start, for the weights as they are now.
        model.start_state.copy_(paragraph_start_state(model, self.start_text, self.newline))
        meta = dict(self.meta, steps=state.step, epoch=state.epoch,
                    wall_seconds=round(state.elapsed, 1),
                    best_val=asdict(state.best) if state.best else None)
        path = self.out / name
        try:
            checkpoint.save(path, Checkpoint(model, self.tokenizer, meta,
                                             state.to_dict() if resumable else None))
        except (OSError, RuntimeError) as e:  # torch's writer reports a full disk as RuntimeError
            reason = (e.strerror if isinstance(e, OSError) and e.strerror else
                      "it could not be written in full: the disk is full or a file-size limit hit")
            kept = [p.name for p in (self.out / "last.pt", self.out / "best.pt") if p.is_file()]
            how = (f"{' and '.join(kept)} from earlier are kept: free some space and continue "
                   f"with rnn-tui train --resume --out {self.out}") if "last.pt" in kept else \
                "nothing resumable was saved yet: free some space and train again"
            raise LMError(f"could not save {path} ({reason}); {how}") from None
        self._write_card(model, meta)
        return path

    def _write_card(self, model: RNNLM, meta: dict) -> None:
        # What `rnn-tui models` and the app's switcher list, without loading a checkpoint.
        card = run_card.card(self.out.name, asdict(model.config), self.tokenizer.kind,
                             model.num_parameters(), meta, time.time())
        try:
            run_card.write(self.out, card)
        except OSError as e:  # the checkpoint is saved: a missing card only costs the listing
            warnings.warn(f"could not write {self.out / run_card.NAME}: {e.strerror}")


class Trainer:
    def __init__(self, config: TrainConfig, model: RNNLM, tokenizer: Tokenizer, corpus: CorpusText,
                 ids: dict[str, Ids], out: Path, state: RunState, *,
                 on_event: Callable[[object], None] | None = None,
                 stop: threading.Event | None = None, cache_hit: bool = False,
                 ranks: Ranks | None = None):
        self.config, self.model, self.tokenizer = config, model, tokenizer
        self.ids, self.out, self.state, self.cache_hit = ids, out, state, cache_hit
        self.ranks = ranks = ranks or Ranks()
        distributed.check_batch(config.batch_size, ranks)
        self.emit = (on_event or (lambda event: None)) if ranks.main else (lambda event: None)
        self.stop = stop or threading.Event()
        self.device = resolve_device(config.device)
        if self.device.type == "cuda":  # under torchrun: this rank's GPU
            self.device = torch.device("cuda", torch.cuda.current_device())
        self.precision = resolve_precision(config.precision, self.device)
        model.to(self.device).train()
        self.net = ranks.wrap(model, self.device)  # what the training step runs: DDP or the model
        self.opt = torch.optim.AdamW(model.parameters(), lr=config.lr,
                                     weight_decay=config.weight_decay)
        if state.optimizer is not None:
            self.opt.load_state_dict(state.optimizer)
            torch.set_rng_state(state.torch_rng)
        if not ranks.main:  # its own dropout masks: the same ones would repeat on every rank
            torch.manual_seed(config.seed + 7919 * ranks.rank + state.step)
        # The checkpoint holds all B streams' state; this rank carries its rows of it.
        rows = ranks.rows(config.batch_size)
        state.hidden = slice_rows(to_device(state.hidden, self.device), rows)
        self.val_ids = spread_sample(ids["val"], VAL_TOKENS)
        self.batches = Batches(ids["train"], config, rows)
        self.budget = config.max_minutes * 60 if config.max_minutes else None
        self.epochs = config.epochs or (UNBOUNDED_EPOCHS if self.budget or config.steps
                                        else DEFAULT_EPOCHS)
        self.total_steps = min(self.batches.total_steps(self.epochs), config.steps or 1 << 62)
        meta = {"train_config": asdict(config),
                # A time budget stops wherever the machine got to: same seed, other steps.
                "reproducible": config.max_minutes is None,
                "corpus": {"names": list(corpus.names), "sha256": corpus.sha256,
                           "chars": corpus.chars},
                "processes": ranks.world}
        self.checkpoints = Checkpoints(out, tokenizer, meta, ids["train"])
        self.history: list[Evaluated] = []
        self.streams = self.batches.epoch(state.epoch) if state.epoch < self.epochs else None
        self.lock: RunLock | None = None  # held from create() to the end of run()

    @classmethod
    def create(cls, config: TrainConfig, on_event=None, stop=None) -> "Trainer":
        """A new run in config.out (or a new folder), or the run there continued (config.resume).
        The folder is locked (and so known to be writable) before any work starts. Under
        torchrun, rank 0 picks and locks the folder and the other ranks follow it."""
        ranks = distributed.join(config.device)
        lock, fresh = None, False
        try:
            out = on_main(ranks, lambda: run_folder(config))
            if ranks.main:
                fresh = not out.exists()
                lock = RunLock(out).acquire()
            trainer = (_resumed if config.resume else _new)(config, out, on_event, stop, ranks)
        except BaseException:
            if lock is not None:
                # A start that failed leaves nothing behind in a folder it made: no lone run.lock.
                lock.release(discard=fresh)
            ranks.close()
            raise
        trainer.lock = lock
        return trainer

    # --- the loop --------------------------------------------------------------------------

    def run(self) -> TrainResult:
        try:
            return self._run()
        except Exception as e:
            if self.ranks.world > 1 and is_peer_failure(e):
                raise self._peer_lost() from None
            raise
        finally:
            if self.lock is not None:
                self.lock.release()
            self.ranks.close()

    def _peer_lost(self) -> PeerLost:
        """Another rank went away: rank 0 saves where the run stands, without the other ranks'
        hidden state (a resumed run starts those streams from zero, as at an epoch start)."""
        s = self.state
        if not self.ranks.main:
            return PeerLost(f"rank {self.ranks.rank}: another training process stopped")
        s.hidden = None
        try:
            self.save_last(gather=False)
        except LMError as e:
            return PeerLost(f"another training process stopped at step {s.step + 1}; {e}")
        return PeerLost(f"another training process stopped at step {s.step + 1} (its connection "
                        f"was lost); saved {self.out / 'last.pt'} at step {s.step}: continue with "
                        f"rnn-tui train --resume --out {self.out}")

    def _run(self) -> TrainResult:
        s, c = self.state, self.config
        self.emit(Started(self.out, self.epochs if self.epochs != UNBOUNDED_EPOCHS else None,
                          self.model.num_parameters(), len(self.ids["train"]),
                          self.tokenizer.vocab_size, self.total_steps, s.step, self.cache_hit,
                          None if c.resume else recipe.chosen(c)))
        self._clock = time.perf_counter() - s.elapsed
        self._train_time, self._train_tokens = 0.0, 0
        self._steady_time, self._steady_tokens = 0.0, 0  # the same, past the run's first step
        self.pace = Pace()
        self._finish = None  # seconds the last validation and save took
        last_eval, interrupted = -1, False
        while s.epoch < self.epochs:
            # Every rank must take the same steps: a stop on any rank stops them all here.
            stop, spent = self.ranks.agree(self.stop.is_set(), self._budget_spent())
            if stop:
                interrupted = True
                break
            if spent:
                break
            if c.steps and s.step >= c.steps:
                break
            self.emit(self.train_step())
            if s.step % c.eval_every == 0:
                t0 = time.perf_counter()
                self.validate()
                last_eval = s.step
                self.save_last()
                self._finish = time.perf_counter() - t0
            s.elapsed = time.perf_counter() - self._clock
        if last_eval != s.step or (s.best is None and self.ranks.main):
            self.validate()
        s.elapsed = time.perf_counter() - self._clock
        self.save_last()
        tps = self._train_tokens / self._train_time if self._train_time else 0.0
        return TrainResult(self.out, self.out / "best.pt", self.out / "last.pt", s.best, s.step,
                           tps, s.elapsed, interrupted, self.history)

    def _budget_spent(self) -> bool:
        """The time budget covers the final validation and save: stop while they still fit."""
        s = self.state
        if not self.budget:
            return False
        if s.step == 0 or self._train_time == 0:
            return s.elapsed >= self.budget
        finish = self._finish
        if finish is None:  # not timed yet: reading a token costs no more than training on it
            if not self._steady_time:  # the first step pays the warm-up (cuDNN, oneDNN plans)
                return s.elapsed >= self.budget
            tps = self._steady_tokens / self._steady_time
            finish = len(self.val_ids) / tps + FINISH_SAVE_SECONDS
        return s.elapsed + finish >= self.budget

    def train_step(self) -> Progress:
        """One chunk of every stream: forward, backpropagation through time, one update."""
        s, c = self.state, self.config
        t0 = time.perf_counter()
        lr = lr_at(c, s.step, self.fraction(), self.total_steps)
        for group in self.opt.param_groups:
            group["lr"] = lr
        x, y = self.streams.chunk(s.chunk)
        x, y = x.to(self.device), y.to(self.device)
        with torch.autocast(self.device.type, dtype=torch.bfloat16,
                            enabled=self.precision == "bf16"):
            logits, hidden = self.net(x, s.hidden)
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), y.reshape(-1))
        self.opt.zero_grad(set_to_none=True)
        loss.backward()  # under DDP: the gradients come back averaged over the ranks
        loss = self.ranks.mean(loss.detach())  # the global batch's loss, before any update
        norm = float(torch.nn.utils.clip_grad_norm_(self.model.parameters(), c.clip))
        if not (math.isfinite(loss.item()) and math.isfinite(norm)):
            # Before the update: the weights (and the checkpoints on disk) are still the last good ones.
            raise Diverged(f"training diverged at step {s.step + 1} (loss {loss.item():.4g}, "
                           f"gradient norm {norm:.4g}) with learning rate {lr:.3g}; the last good "
                           f"checkpoints in {self.out} are kept: lower --lr and train again")
        self.opt.step()
        s.hidden = _fp32(detach(hidden))  # autocast hands the state back in bf16
        s.step += 1
        s.chunk += 1
        if s.chunk == len(self.streams):
            s.epoch, s.chunk, s.hidden = s.epoch + 1, 0, None
            self.streams = self.batches.epoch(s.epoch) if s.epoch < self.epochs else None
        took, tokens = time.perf_counter() - t0, x.numel() * self.ranks.world
        if self._train_time:
            self._steady_time += took
            self._steady_tokens += tokens
        self._train_time += took
        self._train_tokens += tokens
        self.pace.add(tokens, took, torch.get_num_threads())
        s.elapsed = time.perf_counter() - self._clock
        return Progress(s.step, self.total_steps, s.epoch, loss.item(), lr, norm, norm > c.clip,
                        self._train_tokens / self._train_time, s.elapsed, self.fraction(),
                        self.pace.share)

    def fraction(self) -> float:
        """How much of the run is done: by steps, or by the time budget if that is further."""
        s = self.state
        f = s.step / max(self.total_steps, 1)
        return max(f, s.elapsed / self.budget) if self.budget else f

    def validate(self) -> None:
        """Rank 0 alone measures, saves and samples; the others wait at the next step."""
        if not self.ranks.main:
            return
        s, c = self.state, self.config
        val = measure(self.model, self.tokenizer, self.val_ids, seq_len=256)
        if not math.isfinite(val.loss):  # before anything is saved from these weights
            raise Diverged(f"training diverged by step {s.step} (validation loss {val.loss:.4g}); "
                           f"the last good checkpoints in {self.out} are kept: lower --lr and "
                           "train again")
        improved = s.best is None or val.loss < s.best.loss
        if improved:
            s.best = val
            self.emit(Saved(s.step, self.checkpoints.save("best.pt", self.model, s, False)))
        event = Evaluated(s.step, val, improved)
        self.history.append(event)
        history.append(self.out, history.record(s.step, val.loss, val.bpc, improved, s.elapsed))
        self.emit(event)
        # Its own seeded generator: sampling must not move the training RNG.
        sampling = Sampling(temperature=0.8, max_tokens=c.sample_tokens, seed=c.seed + s.step)
        text = "".join(Session(Engine(self.model, self.tokenizer), "\n").stream(sampling))
        self.model.train()
        self.emit(Sampled(s.step, text))

    def save_last(self, gather: bool = True) -> None:
        """last.pt with all streams' hidden state (gathered from every rank: a collective)."""
        s = self.state
        whole = replace(s, hidden=self.ranks.gather(s.hidden) if gather else s.hidden)
        if not self.ranks.main:
            return
        whole.optimizer, whole.torch_rng = self.opt.state_dict(), torch.get_rng_state()
        self.emit(Saved(s.step, self.checkpoints.save("last.pt", self.model, whole, True)))


def train(config: TrainConfig, on_event: Callable[[object], None] | None = None,
          stop: threading.Event | None = None) -> TrainResult:
    """Train (or resume) a model; `stop` ends the run cleanly at the next step boundary."""
    return Trainer.create(config, on_event, stop).run()


def lr_at(config: TrainConfig, step: int, fraction: float, total_steps: int) -> float:
    warmup = max(1, min(config.warmup_steps, total_steps // 10))  # short runs warm up quickly
    warm = min(1.0, (step + 1) / warmup)
    cosine = 0.5 * (1 + math.cos(math.pi * min(fraction, 1.0)))
    return config.lr * warm * (config.min_lr_ratio + (1 - config.min_lr_ratio) * cosine)


def _new(config: TrainConfig, out: Path, on_event, stop, ranks: Ranks) -> Trainer:
    if (out / "last.pt").exists() or (out / "best.pt").exists():
        raise LMError(f"{out} already holds a run: add --resume to continue it, or pick another --out")
    corpus, tokenizer, ids, cache_hit = prepare(config, ranks, on_event)
    torch.manual_seed(config.seed)
    model = RNNLM(model_config(config, tokenizer.vocab_size))
    state = RunState(corpus_sha256=corpus.sha256)
    return Trainer(config, model, tokenizer, corpus, ids, out, state, on_event=on_event,
                   stop=stop, cache_hit=cache_hit, ranks=ranks)


def _resumed(config: TrainConfig, out: Path, on_event, stop, ranks: Ranks) -> Trainer:
    saved = checkpoint.load(out / "last.pt", with_train_state=True)
    if saved.train_state is None:
        raise LMError(f"{out / 'last.pt'}: holds no training state to resume from")
    overrides = {k: getattr(config, k) for k in RESUME_OVERRIDES if getattr(config, k) is not None}
    config = replace(TrainConfig.from_dict(saved.meta["train_config"]), **overrides,
                     out=str(out), resume=True)
    state = RunState.from_dict(saved.train_state)
    corpus, _, ids, cache_hit = prepare(config, ranks, on_event, saved.tokenizer)
    if state.corpus_sha256 != corpus.sha256:
        raise LMError("--resume: the corpus changed since this run started; resume needs the same text")
    return Trainer(config, saved.model, saved.tokenizer, corpus, ids, out, state,
                   on_event=on_event, stop=stop, cache_hit=cache_hit, ranks=ranks)


def _fp32(hidden):
    return map_hidden(torch.Tensor.float, hidden)
