"""Data-parallel training on one machine: 1 process x N threads against N processes x 1 thread
(DDP under torchrun, gloo), the same global batch and the same minutes; then, where CUDA is
available, the GPU path in fp32 and bf16.

Each run is the real `rnn-tui train --events jsonl`, one after the other, on the bundled corpus;
tokens/s and the best val bpc come from its `finished` event.

    python benchmarks/bench_ddp.py --minutes 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]


def train(out: Path, *flags: str) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "train", "--events", "jsonl",
                           "--out", str(out), *flags], capture_output=True, text=True, cwd=ROOT)
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode or not events or events[-1]["event"] != "finished":
        raise SystemExit(f"run failed ({proc.returncode}): {proc.stderr[-1500:]}")
    return events[-1]


def row(name: str, f: dict, base: dict | None) -> str:
    ratio = f"{f['tokens_per_s'] / base['tokens_per_s']:.2f}x" if base else "1.00x"
    return (f"{name:<34}{f['tokens_per_s']:>10,.0f}{ratio:>8}{f['steps']:>8,}"
            f"{f['best_val_bpc']:>9.4f}{f['elapsed'] / 60:>8.2f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=3.0)
    p.add_argument("--nproc", type=int, default=os.cpu_count() or 2)
    p.add_argument("--model", default="--cell lstm --hidden 512 --layers 2",
                   help="model flags (default: the train command's own 2x512 LSTM)")
    p.add_argument("--gpu-only", action="store_true", help="only the GPU rows")
    a = p.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="rnn-tui-ddp-"))
    common = [*a.model.split(), "--batch-size", "32", "--max-minutes", str(a.minutes),
              "--eval-every", "250", "--precision", "fp32"]
    n = a.nproc
    print(f"bundled corpus, {a.model}, global batch 32 x BPTT 64, {os.cpu_count()} cores")
    print(f"{'run':<34}{'tokens/s':>10}{'ratio':>8}{'steps':>8}{'val bpc':>9}{'min':>8}")
    if not a.gpu_only:
        print(f"{a.minutes} min each")
        one = train(scratch / "one", *common, "--threads", str(n))
        print(row(f"1 process x {n} threads", one, None), flush=True)
        ddp = train(scratch / "ddp", *common, "--threads", "1", "--nproc", str(n))
        print(row(f"{n} processes x 1 thread (DDP, gloo)", ddp, one), flush=True)

    if torch.cuda.is_available():
        gpu = [*a.model.split(), "--batch-size", "32", "--steps", "300", "--eval-every", "300",
               "--device", "cuda"]
        print(f"\nGPU: {torch.cuda.get_device_name()}, 300 steps")
        fp32 = train(scratch / "fp32", *gpu, "--precision", "fp32")
        print(row("cuda fp32", fp32, None))
        bf16 = train(scratch / "bf16", *gpu, "--precision", "bf16")
        print(row("cuda bf16 autocast", bf16, fp32))
        ddp = train(scratch / "nccl", *gpu, "--precision", "bf16", "--nproc", "1")
        print(row("cuda bf16, torchrun x 1 (NCCL)", ddp, fp32))
    else:
        print("\nno CUDA device here: the GPU rows (fp32 vs bf16) need one")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
