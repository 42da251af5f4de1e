"""`fill` from Python: the library's default (token-at-a-time work on one thread) against the
process's own setting (torch's default: every core), in the same run, idle and with the other
core busy (a spinning process, as a user's other work would be).

    python benchmarks/bench_fill_threads.py [--model PATH] [--items 40]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time

import torch

import corpora
import lm
from lm.hardware import INFERENCE_THREADS


def spin() -> None:
    while True:
        pass


def p50(model: lm.LanguageModel, texts: list[str]) -> float:
    ms = []
    for text in texts:
        t = time.perf_counter()
        model.fill(text)
        ms.append((time.perf_counter() - t) * 1000)
    return statistics.median(ms)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default=None)
    p.add_argument("--items", type=int, default=40)
    a = p.parse_args()
    texts = [it["text"] for it in corpora.blank_items("everyday set")[: a.items]]
    model = lm.load(a.model)
    model.fill(texts[0])  # warm: the lexicon and the first allocations
    torch.set_num_threads(lm.available_cores())
    print(f"{model.name}: fill p50 over {len(texts)} everyday blanks, from Python; the process "
          f"on torch's default {torch.get_num_threads()} threads")
    print(f"{'machine':<10} {'library default (1 thread)':>27} {'process setting':>16} {'ratio':>6}")
    for label in ("idle", "one busy"):
        spinner = None
        if label == "one busy":
            spinner = multiprocessing.Process(target=spin, daemon=True)
            spinner.start()
        try:
            model.threads = INFERENCE_THREADS
            one = p50(model, texts)
            model.threads = None
            every = p50(model, texts)
        finally:
            if spinner:
                spinner.terminate()
        print(f"{label:<10} {one:24.1f} ms {every:13.1f} ms {every / one:5.1f}x", flush=True)


if __name__ == "__main__":
    main()
