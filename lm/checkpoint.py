"""One checkpoint file: format version, model config, tokenizer, weights, training metadata and,
in resumable saves, the run state.

The file is a small torch archive holding the format, its version, the SHA-256 of the payload
and the payload itself: everything the checkpoint means, saved by torch into bytes. Loading
checks the digest before reading the payload, so any changed byte of what the file means is
found, and goes through torch.load(weights_only=True) twice, which refuses anything but tensors
and plain containers: a checkpoint can never run code. The weights' shapes are checked against
the config before a model is allocated, so a small crafted file cannot claim a huge model.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from .atomic import atomic_write
from .errors import CheckpointError
from .model import RNNLM, ModelConfig
from .tokenizers import KINDS, Tokenizer, from_bytes

FORMAT = "rnn-tui-checkpoint"
VERSION = 2  # 1: the digest covered the weights alone (still read)


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


def save(path: str | Path, ckpt: Checkpoint, *, half: bool = False) -> None:
    """Write the checkpoint atomically. `half` stores the weights as float16 (loaded back as
    float32): half the file, for a model that ships; tied weights stay one tensor."""
    weights = {k: v.detach().cpu() for k, v in ckpt.model.state_dict().items()}
    if half:
        once: dict[int, torch.Tensor] = {}  # by storage, so a tied matrix is stored once
        weights = {k: once.setdefault(v.data_ptr(), v.half()) if v.is_floating_point() else v
                   for k, v in weights.items()}
    content = {
        "model_config": json.dumps(ckpt.model.config.to_dict()),
        "tokenizer_kind": ckpt.tokenizer.kind,
        "tokenizer": torch.frombuffer(bytearray(ckpt.tokenizer.to_bytes()), dtype=torch.uint8),
        "meta": json.dumps(ckpt.meta),
        "weights": weights,
    }
    if ckpt.train_state is not None:
        content["train_state"] = ckpt.train_state
    buffer = io.BytesIO()
    torch.save(content, buffer)
    payload = buffer.getvalue()
    outer = {"format": FORMAT, "version": VERSION, "sha256": hashlib.sha256(payload).hexdigest(),
             "payload": torch.frombuffer(bytearray(payload), dtype=torch.uint8)}
    atomic_write(path, lambda f: torch.save(outer, f))


def load(path: str | Path, *, with_train_state: bool = False) -> Checkpoint:
    path = Path(path)
    if not path.exists():
        raise CheckpointError(f"{path}: no such file")
    if not path.is_file():
        raise CheckpointError(f"{path}: not a file")
    outer = _torch_load(path, path)
    if not isinstance(outer, dict) or outer.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not an rnn-tui checkpoint")
    version = outer.get("version")
    if version == 1:
        content = outer
    elif version == VERSION:
        content = _payload(path, outer)
    else:
        raise CheckpointError(
            f"{path}: checkpoint format {version!r} is not supported (this rnn-tui reads 1 and {VERSION})"
        )
    try:
        weights = content["weights"]
        if version == 1 and weights_digest(weights) != content["digest"]:
            raise CheckpointError(f"{path}: corrupted checkpoint (weights do not match their digest)")
        config = ModelConfig(**json.loads(content["model_config"]))
        _check_shapes(path, config, weights)
        kind = content["tokenizer_kind"]
        if kind not in KINDS:
            raise CheckpointError(f"{path}: unknown tokenizer kind {kind!r}")
        tokenizer = from_bytes(kind, content["tokenizer"].numpy().tobytes())
        if tokenizer.vocab_size != config.vocab_size:
            raise CheckpointError(f"{path}: the tokenizer does not match the model")
        model = RNNLM(config)
        model.load_state_dict(weights)
        meta = json.loads(content["meta"])
        _check_sane(path, meta, weights)
    except CheckpointError:
        raise
    except Exception as e:
        raise CheckpointError(f"{path}: damaged checkpoint ({type(e).__name__})") from None
    model.eval()
    state = content.get("train_state") if with_train_state else None
    return Checkpoint(model, tokenizer, meta, state)


def _check_sane(path: Path, meta, weights: dict[str, torch.Tensor]) -> None:
    """A digest proves the file is whole, not that what it says makes sense: what loading and
    the lists read must be of the right shape, and the weights finite."""
    if not isinstance(meta, dict):
        raise CheckpointError(f"{path}: damaged checkpoint (its metadata)")
    config = meta.get("train_config", {})
    split = config.get("split", [0.9, 0.05, 0.05]) if isinstance(config, dict) else None
    if not (isinstance(config, dict) and isinstance(split, list) and len(split) == 3
            and all(isinstance(f, (int, float)) and not isinstance(f, bool) and 0 <= f <= 1
                    for f in split)
            and isinstance(meta.get("best_val", {}), dict)
            and isinstance(meta.get("corpus", {}), dict)):
        raise CheckpointError(f"{path}: damaged checkpoint (its training metadata)")
    if not all(bool(torch.isfinite(w).all()) for w in weights.values()):
        raise CheckpointError(f"{path}: damaged checkpoint (weights that are not finite numbers)")


def _torch_load(source, path: Path):
    try:
        return torch.load(source, map_location="cpu", weights_only=True)
    except Exception:
        # Truncated zips, random bytes and pickles with code all land here: none are ours.
        raise CheckpointError(f"{path}: not an rnn-tui checkpoint (unreadable or corrupted)") from None


def _payload(path: Path, outer: dict) -> dict:
    payload, digest = outer.get("payload"), outer.get("sha256")
    if not isinstance(payload, torch.Tensor) or payload.dtype != torch.uint8 or payload.dim() != 1:
        raise CheckpointError(f"{path}: damaged checkpoint (no payload)")
    data = payload.numpy().tobytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise CheckpointError(f"{path}: corrupted checkpoint (its content does not match its digest)")
    content = _torch_load(io.BytesIO(data), path)
    if not isinstance(content, dict):
        raise CheckpointError(f"{path}: damaged checkpoint")
    return content


def expected_shapes(config: ModelConfig) -> dict[str, tuple[int, ...]]:
    """Every tensor an RNNLM of this config holds, by name, without allocating one."""
    c, spec = config, config.spec
    rows = spec.blocks * c.hidden
    shapes = {"embedding.weight": (c.vocab_size, c.embed), "head.weight": (c.vocab_size, c.hidden),
              "head.bias": (c.vocab_size,), "start_state": (c.layers, spec.width(c.hidden))}
    for k in range(c.layers):
        shapes |= {f"rnn.weight_ih_l{k}": (rows, c.embed if k == 0 else c.hidden),
                   f"rnn.weight_hh_l{k}": (rows, c.hidden),
                   f"rnn.bias_ih_l{k}": (rows,), f"rnn.bias_hh_l{k}": (rows,)}
    return shapes


def _check_shapes(path: Path, config: ModelConfig, weights) -> None:
    if not isinstance(weights, dict) or not all(isinstance(v, torch.Tensor) for v in weights.values()):
        raise CheckpointError(f"{path}: damaged checkpoint (weights)")
    if any(v.dtype not in (torch.float32, torch.float16) for v in weights.values()):
        raise CheckpointError(f"{path}: damaged checkpoint (weights of an unexpected type)")
    actual = {k: tuple(v.shape) for k, v in weights.items()}
    if actual != expected_shapes(config):
        raise CheckpointError(f"{path}: damaged checkpoint (the weights do not fit its config)")
