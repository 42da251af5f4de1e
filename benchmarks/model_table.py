"""Which model should ship? Train each cell x size on the default corpus for the same few minutes,
then measure validation bits per character and the cost of one generated token (what the TUI
pays on every keystroke).

    python benchmarks/model_table.py --minutes 3
    python benchmarks/model_table.py --minutes 3 --only lstm:2x256 gru:2x256

Prints one row per model, and the ms/token of each against the smallest model as the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import torch

import lm

CANDIDATES = ["lstm:1x256", "lstm:2x256", "gru:2x256", "rnn:2x256", "lstm:2x384", "gru:2x384"]


def ms_per_token(model: lm.LanguageModel, tokens: int = 200, repeats: int = 5) -> float:
    """Median wall time per greedy token, one thread, as the TUI's worker runs it."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            n = sum(1 for _ in model.generate("I am a", lm.Sampling(temperature=0, max_tokens=tokens)))
            times.append((time.perf_counter() - t) * 1000 / max(n, 1))
        return statistics.median(times)
    finally:
        torch.set_num_threads(threads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--corpus", default="default")
    parser.add_argument("--only", nargs="*", default=CANDIDATES, help="cell:LAYERSxHIDDEN")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec in args.only:
            cell, shape = spec.split(":")
            layers, hidden = (int(x) for x in shape.split("x"))
            config = lm.TrainConfig(corpus=(args.corpus,), cell=cell, layers=layers, hidden=hidden,
                                    max_minutes=args.minutes, eval_every=10**9,
                                    out=str(Path(tmp) / spec.replace(":", "-")))
            result = lm.train(config)
            model = lm.load(result.best_path)
            rows.append((spec, model.net.num_parameters(), result.best_val.bpc,
                         result.elapsed / 60, result.tokens_per_s, ms_per_token(model),
                         result.best_path.stat().st_size / 1e6))
            print(f"done {spec}", flush=True)

    base = min(r[5] for r in rows)
    print(f"\n{args.minutes:g} minutes each on '{args.corpus}', 2 threads for training, "
          f"1 thread for generation")
    print(f"{'model':<12}{'params':>10}{'val bpc':>9}{'train min':>11}{'tok/s':>9}"
          f"{'ms/token':>10}{'x fastest':>11}{'MB':>7}")
    for spec, params, bpc, minutes, tps, ms, mb in rows:
        print(f"{spec:<12}{params:>10,}{bpc:>9.3f}{minutes:>11.1f}{tps:>9,.0f}{ms:>10.3f}"
              f"{ms / base:>11.2f}{mb:>7.1f}")


if __name__ == "__main__":
    main()
