"""One keystroke in the TUI: feed one character and get the top-5 words, after a 200-char prefix.

Ours: the session keeps the hidden state, so a key runs one token. Baselines re-read the whole
prefix on every key, as textgenrnn-style tools do: (a) token by token through the eager nn
module, (b) in one eager nn forward call. All three then run the same top-5 word search.

    python benchmarks/bench_keystroke.py [--model PATH] [--keys 200]
"""

from __future__ import annotations

import time

import torch

from _common import held_out_text, median, parser, pct, plain_kernels, setup, timed

from lm.infer.session import WordStart, word_prefix
from lm.infer.words import beam_words


def main() -> None:
    p = parser(__doc__)
    p.add_argument("--keys", type=int, default=200)
    p.add_argument("--prefix", type=int, default=200)
    args = p.parse_args()
    model = setup(args)
    text = held_out_text(model, args.prefix + args.keys)
    prefix, keys = text[: args.prefix], text[args.prefix :]

    session = model.session(prefix)
    ours, ours_feed = [], []
    for ch in keys:
        ours_feed += timed(lambda: session.feed(ch), 1)
        ours += timed(lambda: model.next_words(session, 5), 1)
    ours = [f + w for f, w in zip(ours_feed, ours)]

    def words_from(logits, hidden, t: str):
        state = model.net.spec.to_rows(hidden)
        start = WordStart(logits[0, -1], state, word_prefix(t), "")
        return beam_words(model.engine, start, k=5, beam=24)

    def read_stepwise(t: str):
        with torch.inference_mode(), plain_kernels():
            hidden = model.net.start_hidden(1)
            for i in model.tokenizer.encode(t):
                logits, hidden = model.net(torch.tensor([[i]]), hidden)
            return logits, hidden

    def read_batched(t: str):
        with torch.inference_mode():
            return model.net(torch.tensor([model.tokenizer.encode(t)]), model.net.start_hidden(1))

    n = min(40, len(keys))
    stepwise, batched, stepwise_feed, batched_feed = [], [], [], []
    for i in range(n):
        t = prefix + keys[: i + 1]
        for reader, total, feed in ((read_stepwise, stepwise, stepwise_feed),
                                    (read_batched, batched, batched_feed)):
            start = time.perf_counter()
            logits, hidden = reader(t)
            read = time.perf_counter()
            words_from(logits, hidden, t)
            feed.append((read - start) * 1e3)
            total.append((time.perf_counter() - start) * 1e3)

    print(f"model: {model.describe()}")
    print(f"keystroke = feed 1 char + top-5 words, after a {args.prefix}-char prefix "
          f"(threads={args.threads})")
    for title, rows in (
        ("whole keystroke: state update + top-5 words", [
            ("session (ours, incremental state)", ours),
            ("re-run prefix, eager step loop (baseline)", stepwise),
            ("re-run prefix, one eager forward (baseline)", batched)]),
        ("state update alone (what the session saves; the word search is the same for all)", [
            ("session.feed (ours, one token)", ours_feed),
            ("re-read prefix, eager step loop", stepwise_feed),
            ("re-read prefix, one eager forward", batched_feed)])):
        print(title)
        print(f"  {'path':<44}{'p50 ms':>9}{'p95 ms':>9}{'ratio (p50)':>13}")
        base = median(rows[0][1])
        for name, t in rows:
            print(f"  {name:<44}{median(t):>9.2f}{pct(t, 0.95):>9.2f}{median(t) / base:>12.1f}x")


if __name__ == "__main__":
    main()
