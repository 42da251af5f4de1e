"""The best model per CPU-minute: `rnn-tui train` with its defaults against a plain PyTorch
char-LSTM loop on tinyshakespeare, the same minutes each, one after the other.

The plain loop is what a tutorial writes: 2x256 LSTM, batch 64 x 128 characters drawn at random
offsets, the hidden state from zero each batch, Adam at 2e-3, fp32, torch's default threads.
Both are scored the same way, here: nats per character on the same validation text (our
`--split 0.9,0.1,0`: the last tenth of the file, cut at a line break), read as 16 long streams
with the hidden state carried through. The text is read from ../shared/data and never copied.

    python benchmarks/bench_recipe.py --minutes 5 10
    python benchmarks/bench_recipe.py --minutes 5 --busy      # a spinning process on one core
    python benchmarks/bench_recipe.py --minutes 5 --no-plain --ours "--hidden 256" --ours ""
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lm import checkpoint  # noqa: E402
from lm.corpus import split_text  # noqa: E402

TEXT = ROOT.parent / "shared" / "data" / "tinyshakespeare.txt"
SPLIT = (0.9, 0.1, 0.0)


class PlainLSTM(nn.Module):
    def __init__(self, vocab: int, hidden: int = 256, layers: int = 2):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.lstm = nn.LSTM(hidden, hidden, layers, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x, hidden=None):
        out, hidden = self.lstm(self.embed(x), hidden)
        return self.head(out), hidden


def plain_loop(train: str, minutes: float, batch: int = 64, bptt: int = 128) -> tuple:
    """The baseline: train until the minutes are spent. Returns model, encode, decode, tokens/s."""
    chars = sorted(set(train))
    index = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([index[c] for c in train])
    torch.manual_seed(0)
    model = PlainLSTM(len(chars))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    tokens, start = 0, time.perf_counter()
    while time.perf_counter() - start < minutes * 60:
        offsets = torch.randint(len(data) - bptt - 1, (batch,)).tolist()
        rows = torch.stack([data[o:o + bptt + 1] for o in offsets])
        logits, _ = model(rows[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, len(chars)), rows[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        tokens += batch * bptt
    took = time.perf_counter() - start

    def encode(text: str) -> list[int]:
        missing = set(text) - set(index)
        if missing:
            raise SystemExit(f"validation characters never seen in training: {sorted(missing)}")
        return [index[c] for c in text]

    return model, encode, lambda ids: "".join(chars[i] for i in ids), tokens / took


def nats_per_char(model, encode, decode, text: str, streams: int = 16, chunk: int = 256) -> float:
    """One scorer for both models: the hidden state carried through each stream."""
    ids = torch.tensor(encode(text))
    n = (len(ids) - 1) // streams
    x, y = ids[:n * streams].view(streams, n), ids[1:n * streams + 1].view(streams, n)
    total, hidden = 0.0, None
    model.eval()
    with torch.no_grad():
        for s in range(0, n, chunk):
            logits, hidden = model(x[:, s:s + chunk], hidden)
            total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]),
                                     y[:, s:s + chunk].reshape(-1), reduction="sum").item()
    return total / len(decode(y.reshape(-1).tolist()))


def ours(corpus: Path, minutes: float, flags: str, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "tui.cli", "train", "--corpus", str(corpus), "--split",
               ",".join(map(str, SPLIT)), "--max-minutes", str(minutes), "--out", str(out),
               "--events", "jsonl", *shlex.split(flags)]
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    events = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    if proc.returncode or not events or events[-1]["event"] != "finished":
        raise SystemExit(f"rnn-tui train failed ({proc.returncode}): {proc.stderr[-1500:]}")
    started = next(e for e in events if e["event"] == "started")
    return {**events[-1], "wall": wall, "recipe": started.get("recipe")}


@contextmanager
def busy(on: bool):
    """Other work on one core, as on a user's machine."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if on else None
    try:
        yield
    finally:
        if spinner:
            spinner.kill()
            spinner.wait()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--minutes", type=float, nargs="+", default=[5.0, 10.0])
    p.add_argument("--busy", action="store_true", help="a spinning process beside every run")
    p.add_argument("--ours", action="append", default=None, metavar="FLAGS",
                   help="train flags for a run of ours (repeat for several; default: none)")
    p.add_argument("--no-plain", action="store_true", help="skip the plain loop")
    p.add_argument("--text", type=Path, default=TEXT)
    a = p.parse_args()
    if not a.text.is_file():
        raise SystemExit(f"{a.text}: not found (tinyshakespeare.txt lives in ../shared/data)")
    text = a.text.read_text(encoding="utf-8")
    parts = split_text(text, SPLIT)
    runs = a.ours if a.ours is not None else [""]
    scratch = Path(tempfile.mkdtemp(prefix="rnn-tui-recipe-"))
    print(f"{a.text.name}: train {len(parts['train']):,} chars, val {len(parts['val']):,} chars "
          f"(our --split 0.9,0.1,0); {os.cpu_count()} cores, "
          f"{'one core busy' if a.busy else 'idle'}; val loss in nats per character")
    print(f"{'min':>5}  {'run':<58}{'val nats':>9}{'tokens/s':>10}{'wall s':>8}")
    try:
        for minutes in a.minutes:
            with busy(a.busy):
                if not a.no_plain:
                    start = time.perf_counter()
                    model, enc, dec, tps = plain_loop(parts["train"], minutes)
                    wall = time.perf_counter() - start
                    loss = nats_per_char(model, enc, dec, parts["val"])
                    print(f"{minutes:>5g}  {'plain loop: LSTM 2x256, batch 64 x 128, Adam 2e-3':<58}"
                          f"{loss:>9.4f}{tps:>10,.0f}{wall:>8.0f}", flush=True)
                for i, flags in enumerate(runs):
                    done = ours(a.text, minutes, flags, scratch / f"ours{i}")
                    ck = checkpoint.load(done["best_path"])
                    tok = ck.tokenizer
                    loss = nats_per_char(ck.model, tok.encode, tok.decode, parts["val"])
                    name = f"rnn-tui train {flags}".strip() if flags else "rnn-tui train (defaults)"
                    print(f"{minutes:>5g}  {name:<58}{loss:>9.4f}"
                          f"{done['tokens_per_s']:>10,.0f}{done['wall']:>8.0f}", flush=True)
                    if done["recipe"]:
                        print(f"{'':>7}{done['recipe']}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
