"""One checkpoint file: format version, model config, tokenizer, weights, training metadata.

Loading goes through torch.load(weights_only=True), which refuses anything but tensors and plain
containers, so a checkpoint can never run code. A digest over the weights catches corruption that
still unpickles.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from .atomic import atomic_write
from .errors import CheckpointError
from .model import ModelConfig, RNNLM
from .tokenizers import KINDS, Tokenizer, from_bytes

FORMAT = "rnn-tui-checkpoint"
VERSION = 1


@dataclass
class Checkpoint:
    model: RNNLM
    tokenizer: Tokenizer
    meta: dict[str, Any] = field(default_factory=dict)  # training metadata: corpus, steps, metrics
    train_state: dict[str, Any] | None = None  # optimizer, RNG, data position: only in resumable saves


def weights_digest(state: dict[str, torch.Tensor]) -> str:
    h = hashlib.sha256()
    for name in sorted(state):
        t = state[name].detach().cpu().contiguous()
        h.update(name.encode())
        h.update(t.view(torch.uint8).numpy().tobytes() if t.numel() else b"")
    return h.hexdigest()


def save(path: str | Path, ckpt: Checkpoint) -> None:
    weights = {k: v.detach().cpu() for k, v in ckpt.model.state_dict().items()}
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "model_config": json.dumps(ckpt.model.config.to_dict()),
        "tokenizer_kind": ckpt.tokenizer.kind,
        "tokenizer": torch.frombuffer(bytearray(ckpt.tokenizer.to_bytes()), dtype=torch.uint8),
        "meta": json.dumps(ckpt.meta),
        "weights": weights,
        "digest": weights_digest(weights),
    }
    if ckpt.train_state is not None:
        payload["train_state"] = ckpt.train_state
    atomic_write(path, lambda f: torch.save(payload, f))


def load(path: str | Path, *, with_train_state: bool = False) -> Checkpoint:
    path = Path(path)
    if not path.exists():
        raise CheckpointError(f"{path}: no such file")
    if not path.is_file():
        raise CheckpointError(f"{path}: not a file")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:
        # Truncated zips, random bytes and pickles with code all land here: none are ours.
        raise CheckpointError(f"{path}: not an rnn-tui checkpoint (unreadable or corrupted)") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not an rnn-tui checkpoint")
    version = payload.get("version")
    if version != VERSION:
        raise CheckpointError(
            f"{path}: checkpoint format {version!r} is not supported (this rnn-tui reads {VERSION})"
        )
    try:
        weights = payload["weights"]
        if weights_digest(weights) != payload["digest"]:
            raise CheckpointError(f"{path}: corrupted checkpoint (weights do not match their digest)")
        config = ModelConfig(**json.loads(payload["model_config"]))
        kind = payload["tokenizer_kind"]
        if kind not in KINDS:
            raise CheckpointError(f"{path}: unknown tokenizer kind {kind!r}")
        tokenizer = from_bytes(kind, payload["tokenizer"].numpy().tobytes())
        model = RNNLM(config)
        model.load_state_dict(weights)
        meta = json.loads(payload["meta"])
    except CheckpointError:
        raise
    except Exception as e:
        raise CheckpointError(f"{path}: damaged checkpoint ({type(e).__name__})") from None
    model.eval()
    state = payload.get("train_state") if with_train_state else None
    return Checkpoint(model, tokenizer, meta, state)
