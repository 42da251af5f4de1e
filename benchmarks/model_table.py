"""Which model should ship? Train each candidate on the same corpus for the same minutes, then
measure what a user meets: validation bits per character, top-1 / top-5 on the hand-written
everyday blank set (written apart from the training text), top-1 on the generated blank set,
milliseconds per generated token, a keystroke's cost (one character fed + the panel's 8 words,
p95) and a whole blank fill (64 candidates, right context, p50). All on one thread per model.

    python benchmarks/model_table.py --minutes 5 --jobs 2 --out runs/table
    python benchmarks/model_table.py --minutes 5 --only char-gru-2x256 sp2k-gru-2x512
    python benchmarks/model_table.py --minutes 5 --only sp2k-gru-2x512 --everyday-share 0.25 0.5 1

A candidate is TOKENIZER-CELL-LAYERSxHIDDEN, TOKENIZER `char` or `spNk` (sentencepiece unigram,
N thousand pieces). --everyday-share trains on `default` with only the first part of each
`everyday` file (the corpus-size curve); the blank sets and metrics stay the same.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import corpora
import lm
from lm.infer.blanks import fill
from lm.quiz import blank_set_items
from lm.quiz.scorecard import score_items

CANDIDATES = ["char-gru-2x256", "char-gru-2x512", "char-lstm-2x256", "char-lstm-2x512",
              "sp1k-gru-2x512", "sp2k-gru-2x256", "sp2k-gru-2x512", "sp2k-lstm-2x512",
              "sp8k-gru-2x256", "sp8k-gru-2x512"]
OLD_SET_PER_CATEGORY = 30  # of the generated set's 100 per category: enough to see 90 %
BLANK = "After school the children walked home together, and ___ put the bags down on the table near the door."
TYPED = ("My sister and I walked to the market on Saturday morning to buy some apples, "
         "and on the way home we stopped at the bakery for fresh bread.")


def config_for(name: str, minutes: float, out: Path, corpus: tuple[str, ...]) -> lm.TrainConfig:
    tok, cell, shape = name.split("-")
    layers, hidden = map(int, shape.split("x"))
    sp = tok.startswith("sp")
    return lm.TrainConfig(
        corpus=corpus, cell=cell, layers=layers, hidden=hidden,
        tokenizer="sp" if sp else "char", vocab_size=int(tok[2:-1]) * 1000 if sp else 2000,
        embed=128 if sp else 64, dropout=0.0, batch_size=32, seq_len=64, lr=3e-3,
        max_minutes=minutes, eval_every=500,
        out=str(out), threads=1, seed=1337)


def partial_corpus(share: float, root: Path) -> tuple[str, ...]:
    """`default` with only the first `share` of each everyday file (cut at a line break)."""
    if share >= 1:
        return ("default",)
    folder = root / f"default-{share:g}"
    folder.mkdir(parents=True, exist_ok=True)
    for i, f in enumerate(corpora.files("default")):
        text = (Path(corpora.__file__).parent / f).read_text("utf-8")
        if f in corpora.files("everyday"):
            text = text[: text.rfind("\n", 0, int(len(text) * share)) + 1]
        (folder / f"{i:02d}-{f}").write_text(text, encoding="utf-8")
    return (str(folder),)


def measure(path: Path) -> dict:
    lm.set_threads(1)
    model = lm.load(path)
    row = {"val_bpc": model.meta["best_val"]["bpc"], "steps": model.meta["steps"],
           "parameters": model.net.num_parameters(), "mb": path.stat().st_size / 1e6}
    everyday = score_items(model, blank_set_items("everyday set"))["categories"]["all"]
    old, per = [], Counter()
    for it in blank_set_items("blank set"):
        per[it.category] += 1
        if per[it.category] <= OLD_SET_PER_CATEGORY:
            old.append(it)
    row.update(everyday_top1=everyday["top1"], everyday_top5=everyday["top5"],
               old_top1=score_items(model, old)["categories"]["all"]["top1"])
    times = []
    for _ in range(5):
        t = time.perf_counter()
        n = sum(1 for _ in model.generate("I am a", lm.Sampling(temperature=0, max_tokens=200)))
        times.append((time.perf_counter() - t) * 1000 / max(n, 1))
    row["ms_per_token"] = statistics.median(times)
    session, keys = model.session(""), []
    for ch in TYPED:
        t = time.perf_counter()
        session.feed(ch)
        model.next_words(session, 8)
        keys.append((time.perf_counter() - t) * 1000)
    row["key_p95_ms"] = sorted(keys)[int(0.95 * len(keys))]
    fills = []
    for _ in range(5):
        t = time.perf_counter()
        fill(model.engine, BLANK, k=8)
        fills.append((time.perf_counter() - t) * 1000)
    row["fill_ms"] = statistics.median(fills)
    return row


def run_one(name: str, minutes: float, out: Path, share: float) -> dict:
    os.environ.setdefault("RNN_TUI_HOME", str(out / "home"))
    lm.set_threads(1)
    run = out / (name if share >= 1 else f"{name}-everyday{share:g}")
    if not (run / "best.pt").is_file():
        lm.train(config_for(name, minutes, run, partial_corpus(share, out)))
    return {"model": run.name, "share": share, **measure(run / "best.pt")}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, default=5.0)
    p.add_argument("--jobs", type=int, default=2, help="models trained at once, one thread each")
    p.add_argument("--only", nargs="*", default=CANDIDATES)
    p.add_argument("--everyday-share", nargs="*", type=float, default=[1.0])
    p.add_argument("--out", type=Path, default=None, help="keep the runs here (reused if present)")
    args = p.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="model-table-"))
    jobs = [(name, share) for name in args.only for share in args.everyday_share]
    with ProcessPoolExecutor(args.jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        rows = list(pool.map(run_one, *zip(*[(n, args.minutes, out, s) for n, s in jobs])))
    (out / "table.json").write_text(json.dumps(rows, indent=2))
    print(f"{args.minutes:g} minutes each on default ({', '.join(f'{s:.0%}' for s in args.everyday_share)} "
          f"of everyday), one thread per model, {args.jobs} at once; runs in {out}")
    print(f"{'model':<30}{'params':>10}{'MB':>6}{'steps':>7}{'val bpc':>9}{'every t1':>10}"
          f"{'every t5':>10}{'old t1':>8}{'ms/tok':>8}{'key p95':>9}{'fill ms':>9}")
    for r in rows:
        print(f"{r['model']:<30}{r['parameters']:>10,}{r['mb']:>6.1f}{r['steps']:>7,}"
              f"{r['val_bpc']:>9.3f}{r['everyday_top1']:>10.1%}{r['everyday_top5']:>10.1%}"
              f"{r['old_top1']:>8.1%}{r['ms_per_token']:>8.2f}{r['key_p95_ms']:>9.1f}"
              f"{r['fill_ms']:>9.1f}")


if __name__ == "__main__":
    main()
