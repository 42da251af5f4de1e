"""A corpus larger than comfort: encoding throughput and peak memory, char and sentencepiece.

Writes a generated corpus (our own bundled text, repeated to --size-mb) to a scratch folder
outside the repository, then in fresh processes:
  1. encodes it the streamed way (scan, tokenizer, memory-mapped ids) and, as the plain baseline,
     the in-memory way (read the text, `tokenizer.encode`, one tensor) on a --plain-mb slice;
  2. trains on it for --minutes with `rnn-tui train`, and the same command on the bundled corpus:
     the difference in peak RSS is what the big corpus costs beyond the model.
Peak RSS is each child's own maximum resident set (wait4's ru_maxrss).

    python benchmarks/bench_big_corpus.py --size-mb 1000
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ENCODE = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
import lm
from lm.corpus_stream import open_corpus
from lm.data import encode_splits
from lm.training.config import TrainConfig
from lm.training.setup import build_tokenizer
path, kind = sys.argv[1], sys.argv[2]
config = TrainConfig(corpus=(path,), tokenizer=kind, vocab_size=2000)
t0 = time.perf_counter()
corpus = open_corpus(path)
t1 = time.perf_counter()
tok = build_tokenizer(config, corpus)
t2 = time.perf_counter()
ids, hit = encode_splits(corpus, config.split, tok)
t3 = time.perf_counter()
print(json.dumps({"scan": t1 - t0, "tokenizer": t2 - t1, "encode": t3 - t2, "hit": hit,
                  "tokens": sum(len(v) for v in ids.values()), "dtype": ids["train"].dtype.name}))
"""

PLAIN = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
import torch
from lm.tokenizers import CharTokenizer, SentencePieceTokenizer
path, kind, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.perf_counter()
with open(path, encoding="utf-8") as f:
    text = f.read(mb << 20)
tok = (CharTokenizer.train(text) if kind == "char" else
       SentencePieceTokenizer.train(text[: 8 << 20], 2000))  # as before: lines of the text
t1 = time.perf_counter()
ids = torch.tensor(tok.encode(text), dtype=torch.int32)
t2 = time.perf_counter()
print(json.dumps({"tokenizer": t1 - t0, "encode": t2 - t1, "tokens": len(ids)}))
"""


def child(args: list[str], env: dict) -> tuple[str, float, float]:
    """Run a child; (stdout, seconds, peak RSS in MB)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{args[:4]} failed ({proc.returncode}): {err[-1500:]}")
    return out, time.perf_counter() - t0, usage.ru_maxrss / 1024


def make_corpus(path: Path, size_mb: int) -> None:
    sys.path.insert(0, str(ROOT))
    import corpora

    text = (corpora.read("default") + "\n\n").encode("utf-8")
    with path.open("wb") as f:
        for _ in range((size_mb << 20) // len(text) + 1):
            f.write(text)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--size-mb", type=int, default=1000)
    p.add_argument("--plain-mb", type=int, default=64, help="slice the in-memory baseline encodes")
    p.add_argument("--minutes", type=float, default=1.0, help="training budget of each run")
    p.add_argument("--kinds", default="char,sp")
    p.add_argument("--scratch", default=None, help="folder for the corpus [default: a temp dir]")
    a = p.parse_args()
    scratch = Path(a.scratch or tempfile.mkdtemp(prefix="rnn-tui-big-"))
    scratch.mkdir(parents=True, exist_ok=True)
    corpus = scratch / f"big-{a.size_mb}mb.txt"
    if not corpus.is_file():
        make_corpus(corpus, a.size_mb)
    size = corpus.stat().st_size / 1e6
    print(f"corpus: {corpus} ({size:,.0f} MB, the bundled text repeated); {os.cpu_count()} cores")

    print(f"\n{'tokenizer':<10}{'path':<28}{'MB':>7}{'seconds':>9}{'MB/s':>8}{'peak RSS MB':>13}")
    for kind in a.kinds.split(","):
        env = dict(os.environ, XDG_CACHE_HOME=str(scratch / f"cache-{kind}"))
        shutil.rmtree(scratch / f"cache-{kind}", ignore_errors=True)
        out, secs, rss = child([sys.executable, "-c", ENCODE, str(corpus), kind], env)
        r = json.loads(out)
        print(f"{kind:<10}{'streamed, memory-mapped':<28}{size:>7,.0f}{secs:>9.1f}"
              f"{size / secs:>8.1f}{rss:>13,.0f}   (scan {r['scan']:.1f} s, tokenizer "
              f"{r['tokenizer']:.1f} s, encode {r['encode']:.1f} s, {r['tokens']:,} {r['dtype']} ids)")
        out, secs_p, rss_p = child([sys.executable, "-c", PLAIN, str(corpus), kind,
                                    str(a.plain_mb)], env)
        mb = min(a.plain_mb * 1.048576, size)
        print(f"{kind:<10}{'plain: in memory':<28}{mb:>7,.0f}{secs_p:>9.1f}{mb / secs_p:>8.1f}"
              f"{rss_p:>13,.0f}   (ratio streamed/plain MB/s: {size / secs / (mb / secs_p):.2f}x; "
              f"peak RSS per MB of text: {rss / size:.2f} vs {rss_p / mb:.2f})")

    print(f"\ntraining, --max-minutes {a.minutes}, char LSTM 2x256 (the cache above is reused):")
    env = dict(os.environ, XDG_CACHE_HOME=str(scratch / "cache-char"))
    for name, spec in (("bundled corpus", "default"), (f"{size:,.0f} MB corpus", str(corpus))):
        out_dir = scratch / f"run-{spec.replace('/', '_')[-20:]}"
        shutil.rmtree(out_dir, ignore_errors=True)
        out, secs, rss = child([sys.executable, "-m", "tui.cli", "train", "--corpus", spec,
                                "--cell", "lstm", "--hidden", "256", "--layers", "2",
                                "--dropout", "0.2", "--batch-size", "32", "--seq-len", "64",
                                "--lr", "3e-3", "--max-minutes", str(a.minutes),
                                "--eval-every", "200", "--out", str(out_dir)], env)
        print(f"  {name:<16} peak RSS {rss:>7,.0f} MB  ({secs:.0f} s, {out.strip()})")
    print("  the difference is what the corpus costs beyond the model and torch")


if __name__ == "__main__":
    main()
