"""The best model per CPU-minute: candidates trained for the same minutes, scored on what the
product is for, beside the word 5-gram of the same training text.

    python benchmarks/frontier.py train --minutes 15 sp4k-gru-384 sp4k-lstm-384   # two at a time
    python benchmarks/frontier.py report RUN_DIR [RUN_DIR ...] [--items N]

`train` runs each candidate as `rnn-tui train ... --threads 1 --max-minutes M`, two side by
side (one core each: on this 2-core machine that is fairer than one run on both, whose second
thread stalls when anything else runs). `report` loads each run's best checkpoint and prints one
row: size, val bits per character, the everyday blank set (top-1 / top-5, with the right
context, and the share whose answer was among the words scored), the generated blank set, the
minimal pairs (all, and past the 5-gram's window), ms per generated token and a blank's p50, all
on one thread. The first row is the 5-gram itself.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import corpora
import lm
from lm.infer.blanks import fill_both
from lm.pairs import score_pairs
from lm.quiz.sources import QuizItem, blank_set_items

SP = ["--tokenizer", "sp", "--tie-weights"]
# name -> the flags that make it (every run: the default corpus, batch 32 x 64, one thread).
CANDIDATES = {
    "char-gru-256": ["--cell", "gru", "--layers", "2", "--hidden", "256", "--embed", "64",
                     "--dropout", "0", "--lr", "3e-3"],  # the shape shipped before
    "sp4k-gru-384": [*SP, "--vocab-size", "4000", "--cell", "gru", "--layers", "2", "--hidden",
                     "384", "--embed", "384", "--dropout", "0.2", "--lr", "3e-3"],
    "sp4k-lstm-384": [*SP, "--vocab-size", "4000", "--cell", "lstm", "--layers", "2", "--hidden",
                      "384", "--embed", "384", "--dropout", "0.2", "--lr", "3e-3"],
    "sp8k-gru-512": [*SP, "--vocab-size", "8000", "--cell", "gru", "--layers", "2", "--hidden",
                     "512", "--embed", "512", "--dropout", "0.2", "--lr", "3e-3"],
}
COMMON = ["--corpus", "default", "--batch-size", "32", "--seq-len", "64", "--weight-decay", "0.1",
          "--eval-every", "250", "--seed", "20261207", "--threads", "1"]


def train(names: list[str], minutes: float, root: Path) -> None:
    for pair in (names[i : i + 2] for i in range(0, len(names), 2)):
        procs = []
        for name in pair:
            out = root / f"{name}-{minutes:g}min"
            cmd = [sys.executable, "-m", "tui.cli", "train", *CANDIDATES[name], *COMMON,
                   "--max-minutes", str(minutes), "--out", str(out), "--events", "jsonl"]
            log = open(root / f"{out.name}.log", "w")
            procs.append(subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT))
            print("started", out, flush=True)
        for p in procs:
            p.wait()


def blank_rows(source: str, n: int | None) -> list[QuizItem]:
    return blank_set_items(source)[:n]


def quiz(fill, items: list[QuizItem]) -> tuple[float, float, float | None]:
    """(top-1, top-5, coverage) with `fill(text) -> (ranked words, scored words or None)`;
    coverage is None for a fill that scores every word (the n-gram)."""
    top1 = top5 = covered = 0
    for item in items:
        ranked, scored = fill(item.text)
        top1 += bool(ranked) and item.accepts(ranked[0])
        top5 += any(item.accepts(w) for w in ranked[:5])
        covered = None if scored is None else covered + any(item.accepts(w) for w in scored)
    n = len(items)
    return top1 / n, top5 / n, None if covered is None else covered / n


def network(model: lm.LanguageModel):
    def fill(text):
        scored: list[str] = []
        right, _ = fill_both(model.engine, text, k=5, scored=scored)
        return [c.token_str for c in right], scored
    return fill


def report(runs: list[str], items: int) -> None:
    lm.set_threads(1)
    everyday, generated = blank_rows("everyday set", None), blank_rows("blank set", items)
    pairs = corpora.minimal_pairs()
    head = (f"{'model':<28} {'params':>7} {'MB':>5} {'val bpc':>7} {'everyday':>11} {'scored':>6} "
            f"{'generated':>9} {'pairs':>6} {'far':>6} {'ms/tok':>6} {'blank':>6}")
    print(f"everyday set {len(everyday)} items, generated blank set first {len(generated)}, "
          f"{len(pairs)} minimal pairs ('far': 4 or more words between the deciding word and the one it decides, out of a 5-gram's sight); one thread")
    print(head)
    first = lm.load(runs[0])
    ngram = first.ngram()
    val = first.meta["train_config"]
    text = lm.load_corpus(val["corpus"]).split(tuple(val["split"]))["val"]

    def counted(t):
        return [w for w, _ in ngram.fill(t, k=5)], None

    e1, e5, _ = quiz(counted, everyday)
    g1, _, _ = quiz(counted, generated)
    p = score_pairs(ngram.logprob, pairs)
    print(f"{'word 5-gram (same text)':<28} {'':>7} {'':>5} {ngram.bits_per_char(text):7.4f} "
          f"{e1:5.1%}/{e5:5.1%} {'all':>6} {g1:9.1%} {p['all']['accuracy']:6.1%} "
          f"{p['all']['long_accuracy']:6.1%} {'':>6} {'':>6}", flush=True)
    for run in runs:
        model = lm.load(run)
        e1, e5, cov = quiz(network(model), everyday)
        g1, _, _ = quiz(network(model), generated)
        p = score_pairs(lambda s: model.logprob(s).logprob, pairs)
        bpc = model.loss_on(split="val").bpc
        session = model.session("How old are")
        t = time.perf_counter()
        pieces = list(session.stream(lm.Sampling(temperature=0, max_tokens=100)))
        per_token = (time.perf_counter() - t) * 1000 / max(1, len(pieces))
        blank_ms = []
        for item in everyday[:30]:
            t = time.perf_counter()
            fill_both(model.engine, item.text, k=5)
            blank_ms.append((time.perf_counter() - t) * 1000)
        size = model.path.stat().st_size / 1e6
        print(f"{Path(run).name:<28} {model.net.num_parameters() / 1e6:6.2f}M {size:5.1f} "
              f"{bpc:7.4f} {e1:5.1%}/{e5:5.1%} {cov:6.1%} {g1:9.1%} "
              f"{p['all']['accuracy']:6.1%} {p['all']['long_accuracy']:6.1%} {per_token:6.2f} "
              f"{statistics.median(blank_ms):6.0f}", flush=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="what", required=True)
    t = sub.add_parser("train")
    t.add_argument("names", nargs="+", choices=sorted(CANDIDATES))
    t.add_argument("--minutes", type=float, required=True)
    t.add_argument("--root", type=Path, default=Path("runs/frontier"))
    r = sub.add_parser("report")
    r.add_argument("runs", nargs="+")
    r.add_argument("--items", type=int, default=300, help="generated blank set items to score")
    args = p.parse_args()
    if args.what == "train":
        args.root.mkdir(parents=True, exist_ok=True)
        train(args.names, args.minutes, args.root)
    else:
        report(args.runs, args.items)
    return 0


if __name__ == "__main__":
    sys.exit(main())
