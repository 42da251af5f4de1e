"""Training tokens/s by threads, idle and with the other core busy, per model size and precision:
the table the default --threads is chosen from.

Each cell is the real `rnn-tui train --events jsonl --max-minutes M` on the bundled corpus (its
`finished` tokens/s counts training steps only). "busy" runs a spinning process beside it, as a
user's other work would. The ratio column is loaded/idle for the same threads; "auto" is the
default (no --threads), which times all cores against one for a few seconds and keeps the faster.

    python benchmarks/bench_threads.py --minutes 0.5
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def spin() -> None:
    while True:
        pass


def tokens_per_s(out: Path, flags: list[str]) -> float:
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "train", "--events", "jsonl",
                           "--out", str(out), *flags], capture_output=True, text=True, cwd=ROOT)
    last = json.loads(proc.stdout.splitlines()[-1]) if proc.stdout else {}
    if last.get("event") == "failed":  # a precision this CPU does not run: say so in the table
        return float("nan")
    if proc.returncode or last.get("event") != "finished":
        raise SystemExit(f"run failed: {proc.stderr[-1500:]}")
    return last["tokens_per_s"]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=0.5)
    p.add_argument("--sizes", default="128,256,512")
    p.add_argument("--bf16-size", default="256", help="the size also measured in bf16")
    a = p.parse_args()
    cores = os.cpu_count() or 2
    scratch = Path(tempfile.mkdtemp(prefix="rnn-tui-threads-"))
    print(f"{cores} cores; LSTM 2xH, batch 32 x BPTT 64, --max-minutes {a.minutes} per cell")
    print(f"{'model':<10}{'precision':<11}{'threads':>8}{'idle tok/s':>12}{'busy tok/s':>12}"
          f"{'busy/idle':>11}")
    for size in a.sizes.split(","):
        for precision in ["fp32"] + (["bf16"] if size == a.bf16_size else []):
            for threads in [*sorted({1, cores}), "auto"]:
                # "auto": no --threads, so the train command measures and picks (ThreadChooser)
                # A sliver of validation text: the budget also pays for the final validation,
                # and this table is about training steps.
                flags = ["--cell", "lstm", "--hidden", size, "--layers", "2", "--batch-size", "32",
                         "--seq-len", "64", "--dropout", "0.2", "--lr", "3e-3",
                         "--max-minutes", str(a.minutes), "--eval-every",
                         "100000", "--precision", precision, "--split", "0.998,0.001,0.001"]
                flags += [] if threads == "auto" else ["--threads", str(threads)]
                idle = tokens_per_s(scratch / "run", flags)
                if idle != idle:  # nan: refused
                    print(f"{'2x' + size:<10}{precision:<11}{threads:>8}  not run: this CPU has "
                          "no bf16 for the LSTM", flush=True)
                    continue
                hog = multiprocessing.Process(target=spin, daemon=True)
                hog.start()
                try:
                    busy = tokens_per_s(scratch / "run", flags)
                finally:
                    hog.terminate()
                print(f"{'2x' + size:<10}{precision:<11}{threads:>8}{idle:>12,.0f}{busy:>12,.0f}"
                      f"{busy / idle:>10.0%}", flush=True)
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
