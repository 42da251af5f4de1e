"""Tiny texts of our own and tiny model configs for tests."""

from __future__ import annotations

from pathlib import Path

import lm

# Short original text in the style of the bundled corpora; repeated so a tiny model can learn it.
TINY_TEXT = (
    "I am a boy. You are a girl. We are friends.\n"
    "The cat is on the mat. The dog is in the garden.\n"
    "She has a red ball. He has a blue kite.\n"
    "They go to school in the morning and come home at night.\n"
) * 12


def tiny_config(corpus: Path, out: Path, **overrides) -> lm.TrainConfig:
    """A model small enough to train in about a second on 2 cores."""
    base = dict(
        corpus=(str(corpus),), cell="lstm", hidden=48, layers=1, embed=16, batch_size=4, seq_len=32,
        epochs=8, eval_every=20, split=(0.8, 0.2, 0.0), out=str(out) if out else None, lr=1e-2, warmup_steps=5,
        sample_tokens=20, threads=1, dropout=0.0, precision="fp32",
    )
    base.update(overrides)
    return lm.TrainConfig(**base)
