"""Training by truncated backpropagation through time, readable top to bottom.

The hidden state is carried from chunk to chunk of B parallel text streams and detached at each
chunk boundary. AdamW, gradient-norm clipping, warmup then cosine decay to the end of the run
(the step budget or the time budget, whichever comes first). Resuming restores the weights, the
optimizer, the RNG, the data position and the carried hidden state, so it continues exactly.
"""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

import torch
import torch.nn.functional as F

from . import checkpoint
from .checkpoint import Checkpoint
from .data import Streams, encode_splits, load_corpus
from .errors import CorpusError, LMError
from .metrics import Metrics, evaluate_ids
from .fast import paragraph_start_state
from .model import RNNLM, ModelConfig, detach
from .runs import list_runs, new_run_dir
from .sampling import stream
from .tokenizers import CharTokenizer, SentencePieceTokenizer, Tokenizer


@dataclass(frozen=True)
class TrainConfig:
    corpus: tuple[str, ...] = ("default",)
    cell: str = "lstm"
    tokenizer: str = "char"
    vocab_size: int = 2000  # sp only
    sp_type: str = "unigram"
    embed: int = 64
    hidden: int = 512
    layers: int = 2
    dropout: float = 0.2
    tie_weights: bool = False
    seq_len: int = 64
    batch_size: int = 32
    lr: float = 3e-3
    weight_decay: float = 0.01
    warmup_steps: int = 100
    min_lr_ratio: float = 0.05
    clip: float = 1.0
    epochs: int | None = None  # None: 10, or until the time budget when there is one
    max_minutes: float | None = None
    split: tuple[float, float, float] = (0.9, 0.05, 0.05)
    seed: int = 1337
    eval_every: int = 1000  # steps
    sample_tokens: int = 160
    out: str | None = None
    resume: bool = False
    device: str = "auto"
    precision: str = "auto"  # auto: bf16 where the hardware does it natively, else fp32
    threads: int | None = None

    def model_config(self, vocab_size: int) -> ModelConfig:
        return ModelConfig(
            vocab_size=vocab_size,
            cell=self.cell,
            embed=self.embed,
            hidden=self.hidden,
            layers=self.layers,
            dropout=self.dropout,
            tie_weights=self.tie_weights,
        )


DEFAULT_EPOCHS = 10
UNBOUNDED_EPOCHS = 1_000_000  # a time budget ends the run first

# What a resumed run may change: how long and where it runs, never what it computes.
RESUME_OVERRIDES = ("max_minutes", "device", "threads")


# Events handed to on_event, in the order they happen.
@dataclass(frozen=True)
class Started:
    out_dir: Path
    epochs: int | None  # None: the time budget decides
    parameters: int
    train_tokens: int
    vocab_size: int
    total_steps: int
    resumed_at: int
    cache_hit: bool


@dataclass(frozen=True)
class Progress:
    step: int
    total_steps: int
    epoch: int
    loss: float
    lr: float
    tokens_per_s: float
    elapsed: float
    fraction: float  # of the run done, by steps or by time budget


@dataclass(frozen=True)
class Evaluated:
    step: int
    val: Metrics
    best: bool


@dataclass(frozen=True)
class Sampled:
    step: int
    text: str


@dataclass(frozen=True)
class Saved:
    step: int
    path: Path


@dataclass
class TrainResult:
    out_dir: Path
    best_path: Path
    last_path: Path
    best_val: Metrics
    steps: int
    tokens_per_s: float
    elapsed: float
    interrupted: bool = False
    history: list[Evaluated] = field(default_factory=list)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise LMError("--device cuda: no CUDA device is available")
    if name not in ("cpu", "cuda"):
        raise LMError(f"--device must be auto, cpu or cuda, not {name!r}")
    return torch.device(name)


def resolve_precision(name: str, device: torch.device) -> str:
    """bf16 autocast only where it is native (AMX / avx512-bf16 CPUs, bf16 GPUs): elsewhere it is
    emulated and slower than fp32. Weights, optimizer state and validation stay fp32."""
    if name not in ("auto", "fp32", "bf16"):
        raise LMError(f"--precision must be auto, fp32 or bf16, not {name!r}")
    if name != "auto":
        return name
    if device.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    native = getattr(torch.cpu, "_is_amx_tile_supported", lambda: False)()
    return "bf16" if native and torch.backends.mkldnn.is_available() else "fp32"


def build_tokenizer(config: TrainConfig, text: str) -> Tokenizer:
    if config.tokenizer == "char":
        return CharTokenizer.train(text)
    if config.tokenizer == "sp":
        return SentencePieceTokenizer.train(text, config.vocab_size, config.sp_type)
    raise LMError(f"--tokenizer must be char or sp, not {config.tokenizer!r}")


def lr_at(config: TrainConfig, step: int, fraction: float, total_steps: int) -> float:
    warmup = max(1, min(config.warmup_steps, total_steps // 10))  # short runs warm up quickly
    warm = min(1.0, (step + 1) / warmup)
    cosine = 0.5 * (1 + math.cos(math.pi * min(fraction, 1.0)))
    return config.lr * warm * (config.min_lr_ratio + (1 - config.min_lr_ratio) * cosine)


def _resume_dir(config: TrainConfig) -> Path:
    if config.out:
        return Path(config.out)
    runs = [r for r in list_runs() if (r / "last.pt").is_file()]
    if not runs:
        raise LMError("--resume: no earlier run found; pass --out DIR of the run to continue")
    return runs[0]


def train(
    config: TrainConfig,
    on_event: Callable[[object], None] | None = None,
    stop: threading.Event | None = None,
) -> TrainResult:
    """Train (or resume) a model; `stop` ends the run cleanly at the next step boundary."""
    emit = on_event or (lambda event: None)
    stop = stop or threading.Event()
    state = None
    if config.resume:
        out = _resume_dir(config)
        saved = checkpoint.load(out / "last.pt", with_train_state=True)
        if saved.train_state is None:
            raise LMError(f"{out / 'last.pt'}: holds no training state to resume from")
        overrides = {k: getattr(config, k) for k in RESUME_OVERRIDES if getattr(config, k) is not None}
        base = saved.meta["train_config"]
        base["corpus"], base["split"] = tuple(base["corpus"]), tuple(base["split"])
        config = replace(TrainConfig(**base), **overrides, out=str(out), resume=True)
        tokenizer, model, state = saved.tokenizer, saved.model, saved.train_state
    else:
        out = Path(config.out) if config.out else new_run_dir(f"{config.cell}-{config.tokenizer}")
        if (out / "last.pt").exists() or (out / "best.pt").exists():
            raise LMError(f"{out} already holds a run: add --resume to continue it, or pick another --out")
        tokenizer = model = None

    torch.set_num_threads(config.threads or available_cores())
    device = resolve_device(config.device)
    precision = resolve_precision(config.precision, device)
    corpus = load_corpus(config.corpus)
    if state is not None and state["corpus_sha256"] != corpus.sha256:
        raise LMError("--resume: the corpus changed since this run started; resume needs the same text")
    if tokenizer is None:
        tokenizer = build_tokenizer(config, corpus.split(config.split)["train"])
    ids, cache_hit = encode_splits(corpus, config.split, tokenizer)
    if len(ids["val"]) < 2:
        raise CorpusError("the validation split is empty: give more text or a larger val fraction")

    torch.manual_seed(config.seed)
    if model is None:
        model = RNNLM(config.model_config(tokenizer.vocab_size))
    model.to(device).train()
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)

    def epoch_streams(epoch: int) -> Streams:
        # A different start offset each epoch moves the chunk boundaries, so no position is
        # always the first of a chunk (where the carried state is weakest).
        # Capped at a tenth of a stream so a tiny text does not lose much of itself.
        g = torch.Generator().manual_seed(config.seed * 1000 + epoch)
        span = max(1, min(config.seq_len, len(ids["train"]) // (10 * config.batch_size)))
        offset = int(torch.randint(span, (1,), generator=g))
        return Streams(ids["train"], config.batch_size, config.seq_len, offset)

    budget = config.max_minutes * 60 if config.max_minutes else None
    epochs = config.epochs or (UNBOUNDED_EPOCHS if budget else DEFAULT_EPOCHS)
    # Epoch lengths differ by at most one chunk (the start offset moves), so sample a few.
    total_steps = sum(len(epoch_streams(e)) for e in range(min(epochs, 100)))
    total_steps = total_steps * epochs // min(epochs, 100)

    step, epoch, chunk, elapsed = 0, 0, 0, 0.0
    hidden = None
    best: Metrics | None = None
    history: list[Evaluated] = []
    if state is not None:
        opt.load_state_dict(state["optimizer"])
        torch.set_rng_state(state["torch_rng"])
        step, epoch, chunk, elapsed = state["step"], state["epoch"], state["chunk"], state["elapsed"]
        hidden = _to_device(state["hidden"], device)
        best = Metrics(**state["best"]) if state["best"] else None

    meta_base = {
        "train_config": asdict(config),
        "corpus": {"names": list(corpus.names), "sha256": corpus.sha256, "chars": len(corpus.text)},
    }

    newline = tokenizer.encode("\n")[-1] if tokenizer.encode("\n") else 0

    def save(path: Path, with_state: bool) -> None:
        # Where a new text starts: the state at a line start, for the weights as they are now.
        model.start_state.copy_(paragraph_start_state(model, ids["train"], newline))
        meta = dict(meta_base, steps=step, epoch=epoch, wall_seconds=round(elapsed, 1))
        meta["best_val"] = asdict(best) if best else None
        train_state = None
        if with_state:
            train_state = {
                "optimizer": opt.state_dict(),
                "torch_rng": torch.get_rng_state(),
                "step": step,
                "epoch": epoch,
                "chunk": chunk,
                "elapsed": elapsed,
                "hidden": _to_device(hidden, "cpu"),
                "best": asdict(best) if best else None,
                "corpus_sha256": corpus.sha256,
            }
        checkpoint.save(path, Checkpoint(model, tokenizer, meta, train_state))
        emit(Saved(step, path))

    def validate() -> None:
        nonlocal best
        val = evaluate_ids(model, tokenizer, ids["val"].to(device), seq_len=256)
        improved = best is None or val.loss < best.loss
        if improved:
            best = val
            save(out / "best.pt", with_state=False)
        event = Evaluated(step, val, improved)
        history.append(event)
        emit(event)
        g_seed = config.seed + step  # own generator: sampling must not move the training RNG
        text = "".join(stream(model, tokenizer, "\n", max_tokens=config.sample_tokens,
                              temperature=0.8, seed=g_seed))
        model.train()
        emit(Sampled(step, text))

    emit(Started(out, epochs if epochs != UNBOUNDED_EPOCHS else None, model.num_parameters(), len(ids["train"]), tokenizer.vocab_size,
                 total_steps, step, cache_hit))
    train_time, train_tokens, last_eval_step = 0.0, 0, -1
    started = time.perf_counter() - elapsed
    interrupted = False
    streams = epoch_streams(epoch) if epoch < epochs else None

    def fraction() -> float:
        f = step / max(total_steps, 1)
        return max(f, elapsed / budget) if budget else f

    while epoch < epochs:
        if stop.is_set():
            interrupted = True
            break
        if budget and elapsed >= budget:
            break
        t0 = time.perf_counter()
        lr = lr_at(config, step, fraction(), total_steps)
        for group in opt.param_groups:
            group["lr"] = lr
        x, y = streams.chunk(chunk)
        x, y = x.to(device), y.to(device)
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=precision == "bf16"):
            logits, hidden = model(x, hidden)
        loss = F.cross_entropy(logits.float().reshape(-1, logits.shape[-1]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip)
        opt.step()
        hidden = _to_fp32(detach(hidden))
        step += 1
        chunk += 1
        if chunk == len(streams):
            epoch, chunk, hidden = epoch + 1, 0, None
            streams = epoch_streams(epoch) if epoch < epochs else None
        dt = time.perf_counter() - t0
        train_time += dt
        train_tokens += x.numel()
        elapsed = time.perf_counter() - started
        emit(Progress(step, total_steps, epoch, loss.item(), lr, train_tokens / train_time,
                      elapsed, fraction()))
        if step % config.eval_every == 0:
            validate()
            last_eval_step = step
            save(out / "last.pt", with_state=True)
        elapsed = time.perf_counter() - started

    if last_eval_step != step or best is None:
        validate()
    elapsed = time.perf_counter() - started
    save(out / "last.pt", with_state=True)
    return TrainResult(
        out_dir=out,
        best_path=out / "best.pt",
        last_path=out / "last.pt",
        best_val=best,
        steps=step,
        tokens_per_s=train_tokens / train_time if train_time else 0.0,
        elapsed=elapsed,
        interrupted=interrupted,
        history=history,
    )


def _to_fp32(hidden):
    # Under autocast the carried state comes back in bf16; keep the carried state in fp32.
    if isinstance(hidden, tuple):
        return tuple(h.float() for h in hidden)
    return hidden.float()


def _to_device(hidden, device):
    if hidden is None:
        return None
    if isinstance(hidden, (tuple, list)):
        return tuple(h.to(device) for h in hidden)
    return hidden.to(device)
