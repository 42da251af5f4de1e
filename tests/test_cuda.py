"""The CUDA path: training on a GPU (bf16 autocast where the card has it), a checkpoint written
there that loads and runs on the CPU, and torchrun with NCCL. Skipped where there is no GPU: CI
has none, so these run on a lent GPU machine (see benchmarks/bench_ddp.py for its figures)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import torch

import lm
from lm import checkpoint

from .helpers import tiny_config

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


def test_a_run_on_the_gpu_learns_and_its_checkpoint_runs_on_the_cpu(tiny_corpus, tmp_path):
    result = lm.train(tiny_config(tiny_corpus, tmp_path / "run", device="cuda", precision="auto",
                                  epochs=30, hidden=64))
    first, last = result.history[0], result.history[-1]
    assert last.val.loss < first.val.loss
    ck = checkpoint.load(tmp_path / "run" / "best.pt")
    assert all(t.device.type == "cpu" for t in ck.model.state_dict().values())
    model = lm.load(tmp_path / "run" / "best.pt")
    assert model.next_words("I am a", k=3)


def test_torchrun_with_nccl_trains_on_the_gpu(tiny_corpus, tmp_path):
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               "--nproc-per-node=1", "-m", "tui.cli", "train", "--corpus", str(tiny_corpus),
               "--out", str(tmp_path / "run"), "--hidden", "32", "--layers", "1", "--embed", "16",
               "--batch-size", "4", "--seq-len", "32", "--split", "0.8,0.2,0", "--steps", "60",
               "--eval-every", "30", "--device", "cuda", "--events", "jsonl"]
    proc = subprocess.run(command, capture_output=True, text=True,
                          env=dict(os.environ, OMP_NUM_THREADS="1"), timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    events = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    assert events[-1]["event"] == "finished" and events[-1]["steps"] == 60
    assert checkpoint.load(tmp_path / "run" / "last.pt").model is not None
